#!/usr/bin/env python3
"""Write the demo records root `records/`: a fictional county union, two years of history.

The unit is 某县烟草专卖局（分公司）工会, reporting to 某市烟草系统工会. About forty household
files (HS-2025-…, HS-2026-…), two hundred items of help, three donation drives, holiday and
home visits, and the budgets of 2025 and 2026, as a union officer would have recorded
them up to Sunday 2026-11-29 ("today" of the demo).

Deterministic: one `random.Random(2026)` drives every choice, so running it twice writes
the same bytes. Pure stdlib + PyYAML. It rewrites hardship.yaml and the record folders
(budgets, cases, grants, campaigns, visits) and leaves anything else in the root alone.
The policy in hardship.yaml (tiers, caps, approvals) is the shipped template's, with the
one change named in POLICY_CHANGED (tools/policy_template.py).

    .venv/bin/python tools/make_demo.py [--root records]
    .venv/bin/python tools/check_demo.py [--root records]

Every name, ID number, phone, bank account and diagnosis below is invented.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from random import Random
from typing import Any

import chinese_calendar
import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as `python tools/make_demo.py`
    sys.path.insert(0, str(REPO))

from tools.policy_template import policy_yaml, template_policy  # noqa: E402

TODAY = date(2026, 11, 29)  # a Sunday; nothing is signed after Friday 2026-11-27
LAST_SIGNED = date(2026, 11, 27)
rng = Random(2026)
D = Decimal
ZERO = D("0")

# =======================================================================================
# hardship.yaml: the demo's layout and comments, the shipped template's policy

_CONFIG_LAYOUT = """\
# hardship.yaml: the configuration of this records root.
# 某县烟草专卖局（分公司）工会 困难职工帮扶 (demo data: every person in it is fictional).
# Every figure here is policy, not code: change it when the union's rules or the county's
# minimum living standard (低保) change. Money is written in yuan with two decimals
# (1200.00), dates as ISO dates (2026-03-05).

organisation:
  name: 某县烟草专卖局（分公司）工会
  parent: 某市烟草系统工会          # the higher union that receives our statistics
  area: 某省某市某县

locale: zh-CN                    # zh-CN or en: the default language of reports
currency: CNY

# 最低生活保障标准 (低保), per person per month, dated. The one in force on a day is the
# latest whose `from` is not after it; a case's tier is judged by the standard in force
# on the day it was filed. Add a line when the county announces a new figure; never edit
# an old one, the old cases were judged by it.
standards:
  - from: 2025-01-01
    monthly: 720.00
    area: 某县
  - from: 2025-07-01
    monthly: 760.00
    area: 某县
  - from: 2026-07-01
    monthly: 800.00
    area: 某县

# Tiers, as multiples of the standard, applied to the household's per-capita monthly
# income after rigid expenses (medical bills, tuition):
#   深度困难 deep: below 1 x 低保;  相对困难 relative: below 2 x 低保.
# 意外致困 (accident: disaster, major accident, sudden serious illness) has no income line.
tiers:
  deep: {tiers[deep]}
  relative: {tiers[relative]}

# Caps per kind of help: per grant, and per household per year (all funds together,
# donations included). A kind without a cap here has none.
caps:
  living:                        # 生活救助: at most one year of 低保 (12 x 760.00)
    per_case_year: {caps[living][per_case_year]}
  holiday:                       # 节日慰问 / 送温暖
    per_grant: {caps[holiday][per_grant]}
    per_case_year: {caps[holiday][per_case_year]}
  medical:                       # 医疗救助: never more than the patient's own share
    per_grant: {caps[medical][per_grant]}
    per_case_year: {caps[medical][per_case_year]}
  schooling:                     # 助学 / 金秋助学
    per_grant: {caps[schooling][per_grant]}
    per_case_year: {caps[schooling][per_case_year]}
  emergency:                     # 临时救助
    per_grant: {caps[emergency][per_grant]}

policy:
  # Who must approve a grant, by amount (inclusive). The last line has no upper limit.
  # Nobody approves a grant they proposed, nor a case they filed.
{thresholds}  notice_days: {policy[notice_days]}                 # 公示: five working days, names masked
  review_cycle_days: {policy[review_cycle_days]}         # 动态管理: every active file is reviewed once a year
  emergency_before_active: {policy[emergency_before_active]}  # 临时救助 may go to a household still in intake

# The people who sign: officer (caseworker), chair (工会主席), leader (分管领导),
# finance (marks grants paid, with the voucher number).
officers:
  - name: 李明
    role: officer
    email: liming@example.org
  - name: 陈静
    role: officer
    email: chenjing@example.org
  - name: 王芳
    role: chair
    email: wangfang@example.org
  - name: 张建国
    role: leader
    email: zhangjianguo@example.org
  - name: 赵丽
    role: finance
    email: zhaoli@example.org

# Public holidays (法定节假日) and the weekend days worked instead (调休) come from the
# official calendar (the chinese-calendar package, updated every year with the State
# Council's notice); list here only what it lacks: a year it does not know yet, a day
# the unit closes. They count the working days of a public notice.
holidays: []
workdays: []
"""

# The policy (tiers, caps, approvals) is the shipped template's (tools/policy_template.py),
# with the one figure this county sets otherwise; the layout and its comments are the
# demo's own. tests/test_policy_template.py holds the result to the template.
POLICY_CHANGED = {"caps.living.per_case_year": "9120.00"}  # 12 x the county's 760.00
_POLICY = template_policy(change=POLICY_CHANGED)
_THRESHOLDS = policy_yaml({"policy": {"thresholds": _POLICY["policy"]["thresholds"]}})
# The programs of help `hardship advise` judges each household by (domain/programs.py):
# demo data, a realistic set; local, so not part of the template's policy.
_PROGRAMS = """
# Programs of help (demo data: a realistic set for a county, not any real county's
# rules). `hardship advise CASE` judges a household by each program in force: who runs
# it, the kind of help, the yearly window, the amount and the conditions (all must hold).
# Conditions: tier, primary_cause, any_cause, employment, income_below (a multiple of the
# standard in force), member (relation, age_from, age_to, health, schooling),
# medical_expense_above (the monthly rigid expenses), not_received ({kind, months}),
# no_open_referral. Programs of others are asked for with `hardship add referral`.
programs:
  # The union's own help (本单位工会), within the caps above.
  - id: living
    name: 生活救助
    runner: union
    kind: living
    from: 2025-01-01
    amount:
      up_to: 3000.00
    conditions:
      tier: [deep, relative]
      not_received: {kind: living, months: 6}
  - id: medical
    name: 工会医疗救助
    runner: union
    kind: medical
    from: 2025-01-01
    amount:
      share: 0.50
      up_to: 10000.00
    conditions:
      any_cause: [serious_illness, accident]
      medical_expense_above: 500.00
  - id: emergency
    name: 工会临时救助
    runner: union
    kind: emergency
    from: 2025-01-01
    amount:
      up_to: 5000.00
    conditions:
      tier: [accident]
  - id: songwennuan
    name: 春节送温暖
    runner: union
    kind: holiday
    from: 2025-01-01
    window: {from: 12-15, until: 02-15}   # across the new year
    amount:
      fixed: 1000.00
    conditions:
      tier: [deep, relative, accident]
  # The higher union's 金秋助学 (某市烟草系统工会): children admitted to or in college.
  - id: jinqiu
    name: 金秋助学
    runner: higher_union
    kind: schooling
    from: 2025-01-01
    window: {from: 07-01, until: 09-30}
    amount:
      up_to: 3000.00
    conditions:
      tier: [deep, relative]
      member: {relation: [child], schooling: [大学, 学院, 高等专科]}
  # The civil-affairs bureau's relief (某县民政局): the union refers the household.
  - id: dibao
    name: 低保
    runner: civil_affairs
    body: 某县民政局
    kind: living
    from: 2025-01-01
    conditions:
      income_below: 1
      no_open_referral: true
  - id: linshi
    name: 临时救助
    runner: civil_affairs
    body: 某县民政局
    kind: emergency
    from: 2025-01-01
    amount:
      up_to: 3000.00
    conditions:
      any_cause: [accident, disaster, serious_illness]
      income_below: 2
      no_open_referral: true
  - id: yiliao
    name: 医疗救助
    runner: civil_affairs
    body: 某县民政局
    kind: medical
    from: 2025-01-01
    amount:
      share: 0.70
      up_to: 20000.00
    conditions:
      tier: [deep, relative]
      any_cause: [serious_illness]
      medical_expense_above: 800.00
      no_open_referral: true
"""
CONFIG_YAML = (
    _CONFIG_LAYOUT.format(
        tiers=_POLICY["tiers"],
        caps=_POLICY["caps"],
        policy=_POLICY["policy"],
        thresholds=_THRESHOLDS.split("\n", 1)[1],  # without its `policy:` line
    )
    + _PROGRAMS
)

# =======================================================================================
# Data tables: people, places, phrases

OFFICERS = {"李明": "officer", "陈静": "officer", "王芳": "chair", "张建国": "leader", "赵丽": "finance"}
CASEWORKERS = ["李明", "陈静"]
CHAIR, LEADER, FINANCE = "王芳", "张建国", "赵丽"

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹"
)
# Given names by generation: what people born in those years were called.
GIVEN = {
    ("old", "male"): "德明 福生 长海 金山 德胜 守业 振华 志刚 国栋 文忠 玉山 庆丰 树林 宝贵".split(),
    ("old", "female"): "秀英 桂英 秀兰 玉兰 淑珍 凤英 翠花 秀珍 桂兰 玉梅 素芬 月娥".split(),
    ("mid", "male"): (
        "建华 志强 国庆 永刚 海涛 立新 卫东 建军 文斌 晓峰 春生 明辉 宏伟 新民 红兵 "
        "伟 强 军 勇 斌 平 刚 涛 东升 学文 建平 小龙 少华"
    ).split(),
    ("mid", "female"): (
        "丽华 美玲 春梅 红霞 晓燕 丽娟 海燕 雪梅 慧敏 静 敏 燕 娟 艳 霞 丽 玲 小红 秀梅 桂芳"
    ).split(),
    ("young", "male"): "子豪 梓轩 浩然 一鸣 家乐 博文 宇航 俊杰 鹏 浩 宇 杰 磊 晨阳 思远".split(),
    ("young", "female"): "欣怡 雨涵 诗琪 佳怡 思彤 梦瑶 婷婷 雅琪 心怡 可馨 佳琪 若曦".split(),
}

UNITS_TOWN = [
    "办公室",
    "营销部（客户服务中心）",
    "物流中心",
    "物流中心",
    "专卖管理科（稽查大队）",
    "财务科",
    "人事科（党建科）",
    "烟叶生产经营科",
    "安全管理科",
]
UNITS_LEAF = ["城关烟叶站", "青石烟叶站", "马坪烟叶站", "龙口烟叶站"]
TOWNS = {"城关烟叶站": "城关", "青石烟叶站": "青石", "马坪烟叶站": "马坪", "龙口烟叶站": "龙口"}
VILLAGES = ["王庄", "李家湾", "石桥", "柳河", "大坪", "下坝", "枣林", "黄泥岗", "杨柳塘"]
STREETS = ["建设路", "人民路", "解放街", "烟草小区", "向阳路", "新华街", "滨河路"]
COLLEGES = ["某省师范大学", "某市职业技术学院", "某省农业大学", "某理工学院", "某医学高等专科学校"]
GRADES = ["大一", "大二", "大三", "大四"]
HOSPITALS = ["市第一人民医院", "省肿瘤医院", "县人民医院", "市中心医院", "省人民医院"]
BANKS = [
    ("中国农业银行某县支行", "622848"),
    ("中国建设银行某县支行", "621700"),
    ("某县农村商业银行", "623059"),
    ("中国邮政储蓄银行某县支行", "621799"),
    ("中国工商银行某县支行", "622202"),
]
PHONE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 180 181 182 183 186 187 188 189".split()

LEVEL_ZH = {"deep": "深度困难", "relative": "相对困难", "accident": "意外致困"}

# Occupations of household members: texts, age range (None: from the relation), income.
OCCUPATIONS: dict[str, tuple[list[str], tuple[int, int] | None, tuple[int, int]]] = {
    "college": (["学生（{college}{grade}）"], (18, 21), (0, 0)),
    "highschool": (["学生（县第一中学高{n}）", "学生（县职业中学）"], (15, 17), (0, 0)),
    "middle": (["学生（{town}镇中学初{n}）"], (12, 14), (0, 0)),
    "primary": (["学生（{town}镇中心小学）"], (6, 12), (0, 0)),
    "preschool": (["学龄前"], (2, 6), (0, 0)),
    "farming": (["务农"], None, (200, 600)),
    "none": (["无业"], None, (0, 0)),
    "carer": (["无业（在家照料病人）"], None, (0, 0)),
    "ill": (["无业（患病）"], None, (0, 0)),
    "flexible": (
        ["灵活就业（保洁）", "灵活就业（餐馆帮工）", "个体（早餐摊）", "灵活就业（超市理货）"],
        None,
        (1200, 2000),
    ),
    "migrant": (["外出务工"], None, (1800, 3000)),
    "retired": (["退休"], None, (1800, 2600)),
    "rural_pension": (["务农（领取城乡居民养老金）"], None, (150, 300)),
    "jobless": (["待业"], (20, 28), (0, 0)),
    "disabled": (["无业（残疾，领取残疾人两项补贴）"], None, (100, 200)),
}

EMP_INCOME = {
    "on_job": (3000, 4400),
    "sick_leave": (2000, 2800),
    "retired": (2600, 3400),
    "laid_off": (300, 900),
    "unemployed": (0, 0),
    "migrant": (2200, 3000),
}

# Household archetypes: what brings a family of this unit into hardship, and how it is
# written down. `members`: (relation, occupation choices, health, probability).
ARCHETYPES: dict[str, dict[str, Any]] = {
    "illness_self": dict(
        primary="serious_illness",
        secondary=[["schooling"], ["insurance_unpaid"], ["schooling", "other"]],
        employment="sick_leave",
        health="serious_illness",
        age=(43, 56),
        units="town",
        members=[
            ("spouse", ["flexible", "carer", "farming"], "healthy", 1.0),
            ("child", ["college", "highschool", "middle"], "healthy", 0.9),
            ("parent", ["rural_pension"], "elderly_frail", 0.3),
        ],
        rigid=(900, None),
        ill=True,
        story="本人{diagnosis}，长期病休，收入仅为病假工资。每月自付治疗及药费约{R}元，已向亲友借款约{debt}万元。",
        finding="{name}{diagnosis}，近期在{hospital}定期治疗，精神状态尚可。核对医疗费用票据及病假工资单，与申报一致。",
    ),
    "spouse_illness": dict(
        primary="serious_illness",
        secondary=[["unable_to_work"], ["schooling"], []],
        employment="on_job",
        health="healthy",
        age=(40, 54),
        units="town",
        members=[
            ("spouse", ["ill"], "serious_illness", 1.0),
            ("child", ["college", "highschool", "middle", "primary"], "healthy", 1.0),
            ("parent", ["rural_pension"], "elderly_frail", 0.4),
        ],
        rigid=(1200, None),
        ill=True,
        patient="spouse",  # the member whose diagnosis (extras `ill`) is recorded on him or her
        story="{spouse_word}身患重病，无劳动能力，需长期治疗，每月自付医疗费用约{R}元。家庭仅靠本人工资维持。",
        finding="{spouse_word}病情较重，卧床时间较多，{name}下班后承担全部家务和照料。医疗票据已核对。",
    ),
    "child_illness": dict(
        primary="serious_illness",
        secondary=[["other"], []],
        employment="on_job",
        health="healthy",
        age=(32, 42),
        units="town",
        members=[
            ("spouse", ["carer"], "healthy", 1.0),
            ("child", ["primary", "preschool"], "serious_illness", 1.0),
            ("parent_in_law", ["rural_pension"], "healthy", 0.5),
        ],
        rigid=(1500, None),
        ill=True,
        patient="child",
        story="{child_word}身患重病，在{hospital}住院治疗，{spouse_word}辞职陪护。每月自付医疗费用约{R}元，另在外租房陪护。",
        finding="{child_word}治疗间隙在家休养，家中已按医嘱消毒隔离。{spouse_word}全职陪护，无收入。",
    ),
    "schooling": dict(
        primary="schooling",
        secondary=[["not_employed"], ["other"], ["no_insurance"]],
        employment="on_job",
        health="healthy",
        age=(44, 52),
        units="any",
        members=[
            ("spouse", ["farming", "none", "flexible"], "healthy", 1.0),
            ("child", ["college"], "healthy", 1.0),
            ("child", ["college", "highschool"], "healthy", 0.7),
            ("parent", ["rural_pension"], "elderly_frail", 0.3),
        ],
        rigid=(800, None),
        ill=False,
        story="子女在读，每月学费、住宿费及生活费支出约{R}元，{spouse_word}{spouse_occ}，家庭收入难以负担。",
        finding="家中{students}，学费主要靠助学贷款和借款。{spouse_word}{spouse_occ}，收入微薄。",
    ),
    "retired_alone": dict(
        primary="unable_to_work",
        secondary=[["serious_illness"], ["other"]],
        employment="retired",
        health="elderly_frail",
        age=(68, 79),
        units="retired",
        members=[],
        rigid=(500, None),
        ill=True,
        story="退休职工，丧偶，无子女（孤寡），独居。患慢性病多年，每月药费及护理费用约{R}元。",
        finding="{name}独居，行动不便，生活基本能自理。家中取暖条件差，已提醒注意用电安全。",
    ),
    "disabled": dict(
        primary="unable_to_work",
        secondary=[["schooling"], ["other"]],
        employment="on_job",
        health="disabled",
        age=(40, 50),
        units="town",
        members=[
            ("spouse", ["farming", "none"], "healthy", 1.0),
            ("child", ["highschool", "middle"], "healthy", 1.0),
            ("sibling", ["disabled"], "disabled", 0.6),
        ],
        rigid=(700, None),
        ill=False,
        story="本人肢体残疾，安排在{unit}从事轻体力岗位，收入较低；每月康复及辅助器具费用约{R}元。",
        finding="{name}行走需借助拐杖，家中有台阶出入不便。{spouse_word}{spouse_occ}。",
    ),
    "laid_off": dict(
        primary="laid_off",
        secondary=[["no_insurance"], ["no_insurance", "serious_illness"]],
        employment="laid_off",
        health="chronic_illness",
        age=(50, 58),
        units="former",
        members=[
            ("spouse", ["flexible", "none"], "healthy", 1.0),
            ("child", ["highschool", "college", "jobless", "migrant"], "healthy", 1.0),
        ],
        rigid=(200, None),
        ill=False,
        story="原县卷烟厂改制时下岗，现打零工，收入不稳定；养老保险断缴多年，每月自行续缴社保及药费约{R}元。",
        finding="{name}在城区打零工，身体欠佳。住房为{housing}。社保缴费凭证已核对。",
    ),
    "single_parent": dict(
        primary="other",
        secondary=[["schooling"], ["schooling", "not_employed"]],
        employment="on_job",
        health="healthy",
        age=(36, 46),
        sex="female",
        units="any",
        members=[
            ("child", ["highschool", "middle", "primary"], "healthy", 1.0),
            ("child", ["primary", "preschool"], "healthy", 0.5),
            ("parent", ["rural_pension", "none"], "elderly_frail", 0.5),
        ],
        rigid=(600, None),
        ill=False,
        story="离异后独自抚养子女，前夫未按时支付抚养费；每月房租及子女教育支出约{R}元。",
        finding="{name}独自抚养子女，租住{housing}。孩子学习情况良好。",
    ),
    "not_employed": dict(
        primary="not_employed",
        secondary=[["other"], ["schooling"]],
        employment="on_job",
        health="healthy",
        age=(48, 56),
        units="town",
        members=[
            ("spouse", ["none"], "chronic_illness", 1.0),
            ("child", ["jobless"], "healthy", 1.0),
            ("child", ["highschool"], "healthy", 0.5),
        ],
        rigid=(500, None),
        ill=False,
        story="{spouse_word}与成年子女均未就业，家庭仅靠本人工资生活；每月房贷及药费约{R}元。",
        finding="成年子女毕业后一直待业，有参加技能培训的意愿。{spouse_word}患慢性病，需长期服药。",
    ),
    "unemployed": dict(
        primary="not_employed",
        secondary=[["no_insurance"], ["schooling"]],
        employment="unemployed",
        health="healthy",
        age=(33, 44),
        sex="male",
        units="town",
        members=[
            ("spouse", ["flexible"], "healthy", 1.0),
            ("child", ["middle", "primary"], "healthy", 1.0),
        ],
        rigid=(300, None),
        ill=False,
        story="原在物流中心从事劳务派遣送货工作，2025年8月劳动合同到期未续签，至今未找到稳定工作；家庭靠{spouse_word}打零工维持，每月房租及子女教育支出约{R}元。",
        finding="{name}正在找工作，有意参加叉车操作培训。{spouse_word}{spouse_occ}，收入不稳定。",
    ),
    "insurance_unpaid": dict(
        primary="insurance_unpaid",
        secondary=[["serious_illness"], ["serious_illness", "no_insurance"]],
        employment="retired",
        health="chronic_illness",
        age=(63, 72),
        units="retired",
        members=[("spouse", ["none"], "elderly_frail", 1.0)],
        rigid=(600, None),
        ill=True,
        story="退休职工，早年社保断缴，养老金未足额发放；{spouse_word}无养老保险。每月医药费约{R}元。",
        finding="老两口同住，{name}患{diagnosis}，{spouse_word}体弱。养老金发放明细已核对，补缴事宜正在咨询社保部门。",
    ),
    "farm_family": dict(
        primary="serious_illness",
        secondary=[["no_insurance", "schooling"], ["no_insurance"]],
        employment="on_job",
        health="healthy",
        age=(40, 50),
        units="leaf",
        members=[
            ("spouse", ["farming"], "healthy", 1.0),
            ("parent", ["farming"], "serious_illness", 1.0),
            ("parent_in_law", ["rural_pension"], "elderly_frail", 0.6),
            ("child", ["middle", "primary"], "healthy", 1.0),
        ],
        rigid=(700, None),
        ill=True,
        patient="parent",
        story="家中老人在农村务农，未参加职工社会保险，身患重病需长期治疗，每月自付药费约{R}元；子女在读。",
        finding="住{housing}，老人长期患病，卧病在床。家中种植烤烟三亩，收入受天气影响大。",
    ),
    "migrant": dict(
        primary="no_insurance",
        secondary=[["other"], ["schooling"]],
        employment="migrant",
        health="healthy",
        age=(26, 36),
        units="leaf",
        members=[
            ("grandparent", ["rural_pension"], "elderly_frail", 1.0),
            ("sibling", ["highschool"], "healthy", 1.0),
        ],
        rigid=(300, None),
        ill=False,
        story="季节性烟叶收购聘用人员，非收购季无固定收入，未参加社会保险；父母早逝，由祖母抚养长大，供弟弟上学。每月支出约{R}元。",
        finding="{name}与祖母、弟弟同住{housing}。非收购季在镇上打零工。",
    ),
    "flood": dict(
        primary="disaster",
        secondary=[["no_insurance"], ["other"], []],
        employment="on_job",
        health="healthy",
        age=(35, 52),
        units="leaf",
        members=[
            ("spouse", ["farming", "flexible"], "healthy", 1.0),
            ("child", ["middle", "primary", "college"], "healthy", 1.0),
            ("parent", ["farming", "rural_pension"], "healthy", 0.6),
        ],
        rigid=(800, 2000),
        ill=False,
        story="2025年7月22日暴雨洪灾中，住房被淹，一楼墙体开裂，家具家电及存粮损毁，烤烟地绝收。灾后修缮借款每月还款约{R}元。",
        finding="房屋一层进水约1.2米，墙体开裂，暂住亲戚家；烤烟地被冲毁。损失清单已拍照留存。",
    ),
    "fire": dict(
        primary="accident",
        secondary=[["other"], []],
        employment="on_job",
        health="healthy",
        age=(34, 50),
        units="any",
        members=[
            ("spouse", ["flexible", "farming"], "healthy", 1.0),
            ("child", ["primary", "middle"], "healthy", 1.0),
        ],
        rigid=(600, 1500),
        ill=False,
        story="住房因电线老化起火，厨房及一间卧室烧毁，衣物、家电受损，无财产保险。每月租房及还款约{R}元。",
        finding="起火房间已烧毁，屋顶部分坍塌，一家人暂租住附近民房。消防部门火灾事故认定书已复印存档。",
    ),
    "injury": dict(
        primary="accident",
        secondary=[["unable_to_work", "serious_illness"], ["serious_illness"]],
        employment="sick_leave",
        health="disabled",
        age=(30, 45),
        units="town",
        members=[
            ("spouse", ["flexible", "none"], "healthy", 1.0),
            ("child", ["primary", "preschool"], "healthy", 1.0),
        ],
        rigid=(1500, 3000),
        ill=True,
        story="{event}，{diagnosis}，多次手术，伤残鉴定待定。事故赔偿尚未到位，每月康复费用约{R}元。",
        finding="{name}{diagnosis}，目前居家康复，需家人照料。事故认定书、住院病历已核对。",
    ),
    "traffic": dict(
        primary="accident",
        secondary=[["serious_illness", "schooling"], ["serious_illness"]],
        employment="on_job",
        health="healthy",
        age=(38, 48),
        units="any",
        members=[
            ("spouse", ["ill"], "serious_illness", 1.0),
            ("child", ["highschool", "middle"], "healthy", 1.0),
        ],
        rigid=(2000, 3500),
        ill=True,
        patient="spouse",
        patient_diagnosis="重型颅脑损伤，出院后康复治疗",
        story="{spouse_word}于{event}，伤势严重，住院治疗月余，肇事方无力足额赔偿。每月康复治疗费用约{R}元。",
        finding="{spouse_word}出院后仍需康复治疗，生活不能完全自理。交警事故认定书已复印。",
    ),
    "surgery": dict(
        primary="serious_illness",
        secondary=[["other"]],
        employment="on_job",
        health="serious_illness",
        age=(46, 54),
        sex="male",
        units="town",
        members=[
            ("spouse", ["migrant"], "healthy", 1.0),
            ("child", ["college"], "healthy", 1.0),
        ],
        rigid=(200, 400),
        ill=True,
        story="今年单位职工体检中发现{diagnosis}，须尽快手术，手术及住院费用预计15万元以上，医保报销后自付部分较大。",
        finding="{name}术前在家休养，情绪稳定。{spouse_word}{spouse_occ}。已协助准备医保异地就医备案材料。",
    ),
    "child_disabled": dict(
        primary="other",
        secondary=[["serious_illness"], ["not_employed"]],
        employment="on_job",
        health="healthy",
        age=(32, 40),
        units="town",
        members=[
            ("spouse", ["carer"], "healthy", 1.0),
            ("child", ["preschool"], "disabled", 1.0),
        ],
        rigid=(1800, None),
        ill=False,
        patient="child",
        patient_diagnosis="孤独症谱系障碍",
        story="{child_word}经医院确诊后需长期康复训练，在市残联定点机构做康复，{spouse_word}全职陪护。每月康复训练费用自付约{R}元。",
        finding="{child_word}每天往返康复机构，{spouse_word}辞职陪护。康复机构收费票据已核对。",
    ),
    "mental": dict(
        primary="unable_to_work",
        secondary=[["serious_illness"]],
        employment="on_job",
        health="healthy",
        age=(44, 54),
        units="leaf",
        members=[
            ("spouse", ["ill"], "disabled", 1.0),
            ("child", ["college", "highschool"], "healthy", 1.0),
            ("other", ["middle", "primary"], "healthy", 1.0),
        ],
        rigid=(900, None),
        ill=True,
        patient="spouse",
        patient_diagnosis="精神分裂症",
        story="{spouse_word}精神残疾二级，长期服药，无劳动能力，病情反复需住院。每月药费及住院费用自付约{R}元。",
        finding="{spouse_word}病情基本稳定，按时服药，需专人看护。残疾证已核对。",
    ),
    "widow_grandchild": dict(
        primary="other",
        secondary=[["schooling"]],
        employment="retired",
        health="elderly_frail",
        age=(64, 72),
        sex="female",
        units="retired",
        members=[("grandchild", ["middle", "primary"], "healthy", 1.0)],
        rigid=(400, None),
        ill=False,
        story="退休女职工，丧偶，儿子儿媳因车祸去世，独自抚养孙辈上学。每月孙辈教育及药费支出约{R}元。",
        finding="祖孙二人同住{housing}，{name}身体较弱，孙辈学习刻苦。",
    ),
    "hidden_income": dict(
        primary="schooling",
        secondary=[["not_employed"]],
        employment="on_job",
        health="healthy",
        age=(45, 50),
        sex="male",
        units="town",
        members=[
            ("spouse", ["none"], "healthy", 1.0),
            ("child", ["college"], "healthy", 1.0),
            ("child", ["highschool"], "healthy", 1.0),
        ],
        rigid=(800, None),
        ill=False,
        story="申请人自述{spouse_word}无业，两名子女在读，学费负担重，每月教育支出约{R}元。",
        finding="家中陈设较新，{spouse_word}白天不在家，邻居称其在县城经营超市，需进一步核实。",
    ),
    "hidden_property": dict(
        primary="not_employed",
        secondary=[["other"]],
        employment="on_job",
        health="healthy",
        age=(46, 54),
        units="town",
        members=[
            ("spouse", ["none"], "healthy", 1.0),
            ("child", ["jobless"], "healthy", 1.0),
        ],
        rigid=(600, None),
        ill=False,
        story="申请人自述{spouse_word}与子女均无业，家庭仅靠本人工资生活，每月房贷约{R}元。",
        finding="经入户调查并查询不动产登记，家庭在县城另有商品房两套并出租，与申报情况不符。",
    ),
}

DIAGNOSES = {  # for the worker, when he or she is the patient
    "lung": "肺癌术后化疗",
    "uremia": "尿毒症，规律血液透析",
    "breast": "乳腺癌术后放疗",
    "stroke": "脑梗死后遗症，左侧肢体偏瘫",
    "gastric": "胃癌术后化疗",
    "diabetes": "2型糖尿病肾病（III期）",
    "cad": "冠心病（三支病变），需行冠状动脉搭桥手术",
    "mi": "急性心肌梗死，支架植入术后",
    "copd": "慢性阻塞性肺疾病、高血压",
    "hypertension": "高血压3级、冠心病",
    "fracture": "右胫腓骨粉碎性骨折术后",
    "spine": "腰椎骨折术后",
}

# The households, in the order they were filed. (filed, archetype, level, status, extras)
# extras: diagnosis (key of DIAGNOSES), ill (a family member's diagnosis, in words: it goes on
# that member's `diagnosis`, never into the notes), event,
# closed (date, reason, note), notice_from, objection, fast (the January 2025 drive),
# same_as (index of an earlier row: the same worker applying again).
CASE_PLAN: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # 2025-01: the archive is built in one drive before Spring Festival (年初集中建档)
    ("2025-01-02", "illness_self", "deep", "active", dict(diagnosis="lung", fast=True)),
    ("2025-01-02", "spouse_illness", "deep", "active", dict(ill="尿毒症，每周血液透析三次", fast=True)),
    ("2025-01-02", "schooling", "relative", "active", dict(fast=True)),
    ("2025-01-03", "retired_alone", "relative", "closed", dict(diagnosis="copd", fast=True,
        closed=("2026-08-14", "deceased", "职工于2026年8月12日因病去世，家属已领取丧葬补助，档案关闭并按规定保存十年。"))),
    ("2025-01-03", "disabled", "deep", "active", dict(fast=True)),
    ("2025-01-03", "laid_off", "deep", "active", dict(diagnosis="hypertension", fast=True)),
    ("2025-01-06", "single_parent", "relative", "active", dict(fast=True)),
    ("2025-01-06", "illness_self", "deep", "active", dict(diagnosis="uremia", fast=True)),
    ("2025-01-06", "schooling", "relative", "closed", dict(fast=True,
        closed=("2026-07-20", "out_of_hardship", "两名子女均已毕业参加工作，家庭人均收入超过相对困难标准，经复核脱困撤档。"))),
    ("2025-01-06", "child_illness", "deep", "active", dict(ill="急性淋巴细胞白血病", fast=True)),
    ("2025-01-07", "not_employed", "relative", "closed", dict(fast=True,
        closed=("2026-04-15", "out_of_hardship", "子女经工会资助参加电工技能培训后就业，月收入约3500元，家庭已脱困，撤档。"))),
    ("2025-01-07", "insurance_unpaid", "relative", "active", dict(diagnosis="hypertension", fast=True)),
    ("2025-01-07", "farm_family", "relative", "active", dict(ill="脑出血后遗症", fast=True)),
    ("2025-01-07", "illness_self", "relative", "closed", dict(diagnosis="stroke", fast=True,
        closed=("2025-11-20", "moved", "职工病退后随子女迁居外省生活，本人申请撤档，已告知可在居住地申请救助。"))),
    # the rest of 2025
    ("2025-03-10", "injury", "accident", "active", dict(diagnosis="fracture", event="2025年3月6日在仓库装卸作业中被叉车撞伤")),
    ("2025-04-08", "illness_self", "deep", "active", dict(diagnosis="breast", sex="female")),
    ("2025-05-12", "hidden_income", "relative", "rejected", dict(notice_from="2025-05-26",
        objection=("陈静", "2025-05-28", "营销部一名职工实名反映：申请人配偶在县城经营一家便利超市，经营收入未如实申报。",
                   ("李明", "2025-06-05"), "经走访及查询营业执照，反映情况属实，申请人隐瞒家庭经营性收入。"))),
    ("2025-06-09", "migrant", "relative", "active", {}),
    ("2025-07-24", "flood", "accident", "active", {}),
    ("2025-07-24", "flood", "accident", "active", {}),
    ("2025-07-25", "flood", "accident", "closed", dict(
        closed=("2026-05-20", "out_of_hardship", "住房已修缮入住，灾后生产恢复，家庭收入恢复正常，经本人同意撤档。"))),
    ("2025-08-11", "schooling", "relative", "active", {}),
    ("2025-09-08", "mental", "deep", "active", {}),
    ("2025-10-13", "unemployed", "deep", "active", {}),
    ("2025-11-10", "illness_self", "relative", "active", dict(diagnosis="diabetes")),
    ("2025-12-08", "fire", "accident", "active", {}),
    # 2026
    ("2026-01-05", "retired_alone", "relative", "active", dict(diagnosis="hypertension", fast=True)),
    ("2026-02-02", "single_parent", "deep", "active", {}),
    ("2026-03-09", "illness_self", "deep", "active", dict(diagnosis="gastric")),
    ("2026-04-07", "schooling", "relative", "active", {}),
    ("2026-04-22", "surgery", "accident", "active", dict(diagnosis="cad", fast=True)),
    ("2026-06-08", "child_disabled", "relative", "active", {}),
    ("2026-08-10", "traffic", "accident", "active", dict(event="2026年8月5日骑电动车下班途中被货车撞伤")),
    ("2026-09-07", "hidden_property", "relative", "rejected", {}),
    ("2026-10-19", "illness_self", "deep", "on_notice", dict(diagnosis="lung", notice_from="2026-11-09",
        objection=("李明", "2026-11-11", "有职工来电反映：申请人之子已参加工作，有固定收入。",
                   ("陈静", "2026-11-18"), "经核实，其子为在读研究生，仅有少量助研补贴，反映情况不属实，已向反映人说明。"))),
    ("2026-11-09", "laid_off", "relative", "on_notice", dict(diagnosis="hypertension", notice_from="2026-11-25",
        objection=("陈静", "2026-11-26", "物流中心职工反映：申请人家庭在城郊有门面房出租，未申报租金收入。", None, None))),
    ("2026-11-10", "fire", "accident", "on_notice", dict(notice_from="2026-11-27")),
    ("2026-11-16", "schooling", "relative", "checked", {}),
    ("2026-11-17", "mental", "deep", "checked", {}),
    ("2026-11-23", "spouse_illness", "deep", "applied", dict(same_as=17, ill="乳腺癌，正在化疗")),
    ("2026-11-24", "illness_self", "accident", "applied", dict(diagnosis="mi")),
    ("2026-11-26", "widow_grandchild", "relative", "applied", {}),
]

CHECK_NOTES = [
    "申请表、身份证、户口簿、收入证明及相关票据齐全，初审符合申报条件。",
    "材料齐全，已核对工资发放记录和家庭成员收入证明，初审通过。",
    "初审：申报材料完整，致困原因属实，转入户调查。",
]
APPROVE_NOTES = {
    "chair": "经工会委员会审议，同意纳入{level}职工档案。",
    "leader": "同意建档。",
}
REVIEW_OFFICER = "{year}年度复核：入户核实家庭人口、收入及支出情况，困难状况未明显改善。"
REVIEW_CHAIR = "复核通过，继续保留{level}档案。"

HOLIDAY_GOODS = {
    "spring_festival": "大米一袋、食用油一桶、春联",
    "mid_autumn": "月饼一盒、食用油一桶",
    "dragon_boat": "粽子、鸡蛋",
    "summer_cooling": "绿豆、白糖、风扇等防暑降温用品",
}
VISIT_REMARKS = [
    "{name}家：身体状况稳定，感谢组织关心",
    "{name}家：孩子学习成绩优良，叮嘱安心读书",
    "{name}家：治疗仍在进行，叮嘱按时复查，保存好医疗票据",
    "{name}家：住房取暖条件较差，已提醒注意用火用电安全",
    "{name}家：家属表示困难有所缓解",
    "{name}家：询问了医保报销进度，答应协助联系医保部门",
    "{name}家：老人行动不便，已联系社区定期探望",
    "{name}家：了解到家属有就业意愿，记录在案",
]

# =======================================================================================
# Calendar

_CFG = yaml.load(CONFIG_YAML, Loader=yaml.BaseLoader)
HOLIDAYS = {date.fromisoformat(d) for d in _CFG["holidays"]}
WORKDAYS = {date.fromisoformat(d) for d in _CFG["workdays"]}
STANDARDS = sorted((date.fromisoformat(s["from"]), D(s["monthly"])) for s in _CFG["standards"])
CAPS = {k: {f: D(v) for f, v in c.items()} for k, c in _CFG["caps"].items()}
THRESHOLDS = [(D(t["up_to"]) if "up_to" in t else None, t["roles"]) for t in _CFG["policy"]["thresholds"]]
NOTICE_DAYS = int(_CFG["policy"]["notice_days"])
REVIEW_DAYS = int(_CFG["policy"]["review_cycle_days"])
assert {o["name"]: o["role"] for o in _CFG["officers"]} == OFFICERS


def d(text: str) -> date:
    return date.fromisoformat(text)


def is_workday(day: date) -> bool:
    """hardship.yaml's days first, then the official calendar (as the tool counts them)."""
    if day in WORKDAYS or day in HOLIDAYS:
        return day in WORKDAYS
    return bool(chinese_calendar.is_workday(day))


def workday_from(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(day: date, n: int) -> date:
    day = workday_from(day)
    for _ in range(n):
        day = workday_from(day + timedelta(days=1))
    return day


def standard_on(day: date) -> Decimal:
    return [m for since, m in STANDARDS if since <= day][-1]


def roles_required(amount: Decimal) -> list[str]:
    for up_to, roles in THRESHOLDS:
        if up_to is None or amount <= up_to:
            return roles
    return THRESHOLDS[-1][1]


def rand_day(start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


# =======================================================================================
# People: names, ID numbers, phones, accounts

_used_names = set(OFFICERS)
_used_employee_ids: set[str] = set()


def generation(birth_year: int) -> str:
    return "old" if birth_year < 1962 else "mid" if birth_year < 1996 else "young"


def person_name(sex: str, birth_year: int, surname: str | None = None) -> str:
    while True:
        name = (surname or rng.choice(SURNAMES)) + rng.choice(GIVEN[(generation(birth_year), sex)])
        if name not in _used_names:
            _used_names.add(name)
            return name


def birth_date(age: int, on: date) -> date:
    year = on.year - age
    return date(year, 1, 1) + timedelta(days=rng.randint(0, 364))


def id_number(born: date, sex: str) -> str:
    """18 characters: a fake area code 999xxx, birth date, sequence (odd: male), check."""
    area = "999" + rng.choice(["301", "302", "321", "322", "323"])
    seq = f"{rng.randint(0, 99):02d}" + str(rng.choice([1, 3, 5, 7, 9] if sex == "male" else [0, 2, 4, 6, 8]))
    body = area + born.strftime("%Y%m%d") + seq
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def phone() -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


def bank_account() -> dict[str, str]:
    name, prefix = rng.choice(BANKS)
    return {"name": name, "account": prefix + "".join(str(rng.randint(0, 9)) for _ in range(13))}


def employee_id(retired: bool) -> str:
    while True:
        number = f"{rng.randint(30, 299) if retired else rng.randint(300, 899):04d}"
        if number not in _used_employee_ids:
            _used_employee_ids.add(number)
            return number


def money(x: float | int | Decimal) -> Decimal:
    return D(str(x)).quantize(D("0.01"))


# =======================================================================================
# Households


class Case:
    """A household file as it is built; `record()` gives the YAML mapping."""

    def __init__(self, index: int, filed: date, archetype: str, level: str, status: str, extras: dict[str, Any]):
        self.index = index
        self.filed = filed
        self.kind = archetype
        self.arch = ARCHETYPES[archetype]
        self.level = level
        self.status = status
        self.extras = extras
        self.id = ""
        self.checks: list[dict[str, Any]] = []
        self.approvals: list[dict[str, Any]] = []
        self.notice: dict[str, Any] | None = None
        self.closed: dict[str, Any] | None = None
        self.review_due: date | None = None
        self.home_visit: tuple[date, list[str]] | None = None  # (day, visitors)
        self.reviews: list[tuple[date, str]] = []  # annual reviews (day, officer)
        self.referrals: list[dict[str, Any]] = []  # 联系协调: help asked of other bodies
        self.words: dict[str, str] = {}  # the words of the home-visit finding

    # -- what the rules need -----------------------------------------------------------
    @property
    def active_since(self) -> date | None:
        days = [s["on"] for s in self.approvals if s["step"] == "approve" and s["decision"] == "approved"]
        return max(days) if days else None

    def active_on(self, day: date) -> bool:
        since = self.active_since
        if since is None or day <= since or self.status not in ("active", "closed"):
            return False
        return self.closed is None or day < self.closed["on"]

    @property
    def students(self) -> list[dict[str, Any]]:
        return [m for m in self.household if m["occupation"].startswith("学生")]

    @property
    def town(self) -> str:
        return TOWNS.get(self.unit, "城关")

    @property
    def is_rural(self) -> bool:
        return self.unit in UNITS_LEAF


def build_worker(case: Case) -> None:
    arch, extras = case.arch, case.extras
    sex = extras.get("sex") or arch.get("sex") or rng.choice(["male", "male", "female"])
    age = rng.randint(*arch["age"])
    born = birth_date(age, case.filed)
    if arch["units"] == "town":
        unit = rng.choice(UNITS_TOWN)
    elif arch["units"] == "leaf":
        unit = rng.choice(UNITS_LEAF)
    elif arch["units"] == "former":
        unit = "离岗职工（原县卷烟厂）"
    elif arch["units"] == "retired":
        unit = "离退休人员（原" + rng.choice(["物流中心", "卷烟销售科", "城关烟叶站", "办公室"]) + "）"
    else:
        unit = rng.choice(UNITS_TOWN + UNITS_LEAF)
    case.unit = unit
    case.sex = sex
    case.age = age
    case.worker = {
        "name": person_name(sex, born.year),
        "employee_id": employee_id(arch["employment"] == "retired"),
        "unit": unit,
        "sex": sex,
        "birth_date": born,
        "employment": arch["employment"],
        "health": arch["health"],
    }
    if arch["health"] == "disabled" and case.kind == "disabled":
        case.worker["disability"] = "肢体残疾三级（持残疾人证）"
    if case.kind == "injury":
        case.worker["disability"] = "伤残等级待鉴定"
    if "diagnosis" in extras:
        case.worker["diagnosis"] = DIAGNOSES[extras["diagnosis"]]
    case.worker["phone"] = phone()
    case.worker["id_number"] = id_number(born, sex)
    if unit in UNITS_LEAF:
        address = f"某县{TOWNS[unit]}镇{rng.choice(VILLAGES)}村{rng.randint(1, 9)}组{rng.randint(1, 60)}号"
    else:
        address = f"某县城关镇{rng.choice(STREETS)}{rng.randint(1, 199)}号{rng.randint(1, 8)}栋{rng.randint(1, 4)}单元"
    case.worker["address"] = address


def copy_household(case: Case, earlier: Case) -> None:
    """The same worker applying again: same person and family, a newer phone; the spouse
    has since fallen ill."""
    case.unit, case.sex, case.age = earlier.unit, earlier.sex, earlier.age + 1
    case.worker = dict(earlier.worker)
    case.worker["phone"] = phone()
    case.household = [dict(m) for m in earlier.household]
    for m in case.household:
        m["_age"] += 1
        if m["relation"] == "spouse":
            m.update(health="serious_illness", occupation=OCCUPATIONS["ill"][0][0], _key="ill")
        elif m["occupation"].startswith("学生"):
            m["occupation"] = occupation_text(m["_key"], case.town, m["_age"], m["_college"])


def diagnose_members(case: Case) -> None:
    """The ill member of the household carries the diagnosis (sensitive: never in the notes)."""
    relation = case.arch.get("patient")
    if relation is None:
        return
    text = case.extras.get("ill") or case.arch["patient_diagnosis"]
    for m in case.household:
        if m["relation"] == relation and m["health"] != "healthy":
            m["diagnosis"] = text
            return
    raise SystemExit(f"row {case.index} ({case.kind}): no ill {relation} to carry the diagnosis")


def relation_word(relation: str, sex: str, worker_sex: str) -> str:
    male = sex == "male"
    return {
        "spouse": "丈夫" if male else "妻子",
        "child": "儿子" if male else "女儿",
        "parent": "父亲" if male else "母亲",
        "parent_in_law": ("岳父" if male else "岳母") if worker_sex == "male" else ("公公" if male else "婆婆"),
        "sibling": "弟弟" if male else "妹妹",
        "grandparent": "祖父" if male else "祖母",
        "grandchild": "孙子" if male else "孙女",
        "other": "侄子" if male else "侄女",
    }[relation]


def occupation_text(key: str, town: str, age: int, college: str) -> str:
    """What a member does; a student's year follows his or her age."""
    text = rng.choice(OCCUPATIONS[key][0])
    ages = OCCUPATIONS[key][1]
    year = max(0, min(3 if key == "college" else 2, age - ages[0])) if ages else 0
    return text.format(college=college, grade=GRADES[year], n="一二三"[min(year, 2)], town=town)


def build_members(case: Case) -> None:
    """Household members drawn from the archetype, with ages that fit the worker's."""
    members = []
    surname = case.worker["name"][0]
    for relation, occupations, health, probability in case.arch["members"]:
        if rng.random() >= probability:
            continue
        key = rng.choice(occupations)
        texts, ages, (lo, hi) = OCCUPATIONS[key]
        if relation == "spouse":
            age = max(24, case.age + rng.randint(-4, 3))
            sex = "female" if case.sex == "male" else "male"
            name = person_name(sex, case.filed.year - age)
        elif relation in ("parent", "parent_in_law"):
            age = min(92, case.age + rng.randint(24, 30))
            sex = rng.choice(["male", "female"])
            same = relation == "parent" and sex == "male"
            name = person_name(sex, case.filed.year - age, surname if same else None)
        elif relation == "grandparent":
            age = min(90, case.age + rng.randint(48, 55))
            sex = "female"
            name = person_name(sex, case.filed.year - age)
        else:  # child, sibling, grandchild: ages from what they do
            if ages:
                lo_age, hi_age = ages
            elif relation == "child":  # grown up and working
                lo_age, hi_age = max(20, case.age - 32), case.age - 22
            else:
                lo_age, hi_age = case.age - 6, case.age + 4
            if relation == "child":
                hi_age = min(hi_age, case.age - 21)
            age = rng.randint(lo_age, max(lo_age, hi_age))
            sex = rng.choice(["male", "female"])
            family = surname if relation in ("sibling", "grandchild") or case.sex == "male" else None
            name = person_name(sex, case.filed.year - age, family)
        college = rng.choice(COLLEGES)
        occupation = occupation_text(key, case.town, age, college)
        income = rng.randrange(lo, hi + 1, 10) if hi else 0
        members.append(
            {
                "name": name,
                "relation": relation,
                "birth_date": birth_date(age, case.filed),
                "health": health,
                "monthly_income": money(income),
                "occupation": occupation,
                "_sex": sex,
                "_key": key,
                "_age": age,
                "_college": college,
            }
        )
    case.household = members


def build_income(case: Case) -> bool:
    """Incomes and rigid expenses that put the household in its tier (deep / relative)."""
    standard = standard_on(case.filed)
    n = 1 + len(case.household)
    lo_rigid, hi_rigid = case.arch["rigid"]
    for _attempt in range(200):
        lo, hi = EMP_INCOME[case.worker["employment"]]
        own = rng.randrange(lo, hi + 1, 10) if hi else 0
        for m in case.household:
            _, _, (mlo, mhi) = OCCUPATIONS[m["_key"]]
            m["monthly_income"] = money(rng.randrange(mlo, mhi + 1, 10) if mhi else 0)
        total = own + sum(int(m["monthly_income"]) for m in case.household)
        if case.level == "accident":
            rigid = rng.randrange(lo_rigid, (hi_rigid or lo_rigid * 2) + 1, 10)
            rigid = min(rigid, total)
        else:
            share = rng.uniform(0.35, 0.88) if case.level == "deep" else rng.uniform(1.1, 1.85)
            target = float(standard) * share
            rigid = max(lo_rigid, int((total - target * n) // 10 * 10))
            rigid = min(rigid, int(total * 0.6) // 10 * 10)  # a very poor household still eats
        per_capita = (D(total) - D(rigid)) / n
        if case.level == "deep" and not per_capita < standard - 20:
            continue
        if case.level == "relative" and not (standard + 20 <= per_capita < 2 * standard - 20):
            continue
        case.own_income = own
        case.income = {"household_monthly": money(total), "rigid_expenses_monthly": money(rigid)}
        return True
    return False


def describe(case: Case) -> dict[str, str]:
    """Words for the note templates."""
    spouse = next((m for m in case.household if m["relation"] == "spouse"), None)
    child = next((m for m in case.household if m["relation"] == "child"), None)
    students = case.students
    return {
        "name": case.worker["name"],
        "unit": case.unit,
        "diagnosis": case.worker.get("diagnosis", ""),
        "ill": case.extras.get("ill", ""),
        "event": case.extras.get("event", ""),
        "R": f"{int(case.income['rigid_expenses_monthly'])}",
        "debt": str(rng.randint(3, 12)),
        "spouse_word": relation_word("spouse", spouse["_sex"], case.sex) if spouse else "配偶",
        "spouse_occ": spouse["occupation"] if spouse else "",
        "child_word": relation_word("child", child["_sex"], case.sex) if child else "子女",
        "students": "、".join(
            relation_word(m["relation"], m["_sex"], case.sex) + m["occupation"].removeprefix("学生") for m in students
        )
        or "子女在读",
        "hospital": rng.choice(HOSPITALS),
        "housing": case.housing,
    }


def housing_for(case: Case) -> str:
    if case.kind == "flood":
        return "农村自建砖混房，一层在洪灾中被淹，墙体开裂"
    if case.kind == "fire":
        return "自有住房部分烧毁，暂租住民房"
    if case.kind in ("single_parent",):
        return rng.choice(["公租房，约45平方米", "租住城区老旧小区，约50平方米"])
    if case.is_rural:
        return rng.choice(["农村自建砖混房，约100平方米", "农村老旧土木结构房屋，年久失修"])
    return rng.choice(["单位早年集资房，约70平方米", "城区老旧小区自有住房，约60平方米", "租住公租房，约45平方米"])


# =======================================================================================
# Intake: check, home visit, notice, approval; reviews; closing


def step(name: str, by: str, on: date, note: str | None = None, decision: str | None = None) -> dict[str, Any]:
    s: dict[str, Any] = {"step": name, "by": by, "role": OFFICERS[by], "on": on}
    if decision is not None:
        s["decision"] = decision
    if note:
        s["note"] = note
    return s


def other_caseworker(name: str) -> str:
    return CASEWORKERS[1] if name == CASEWORKERS[0] else CASEWORKERS[0]


def intake(case: Case) -> None:
    fast = case.extras.get("fast", False)

    def gap(lo: int, hi: int) -> int:
        return lo if fast else rng.randint(lo, hi)

    case.filed_by = rng.choice(CASEWORKERS)
    if case.status == "applied":
        return
    words = describe(case)
    case.words = words
    checked_on = add_workdays(case.filed, gap(1, 2))
    case.checks.append(step("check", case.filed_by, checked_on, rng.choice(CHECK_NOTES)))
    visitor = rng.choice(CASEWORKERS)
    visited_on = add_workdays(checked_on, gap(1, 3))
    finding = case.arch["finding"].format(**words)
    case.checks.append(step("home_visit", visitor, visited_on, "入户调查：" + finding))
    partner = rng.choice([other_caseworker(visitor), other_caseworker(visitor), CHAIR])
    case.home_visit = (visited_on, [visitor, partner], finding)
    if case.status == "checked":
        return
    if case.kind == "hidden_property":  # refused at review, never on notice
        refused = add_workdays(visited_on, 3)
        case.approvals.append(
            step("reject", CHAIR, refused,
                 "经入户调查并查询不动产登记，家庭在县城另有商品房两套并有租金收入，不符合建档条件，不予建档。",
                 decision="rejected")
        )
        return
    start = d(case.extras["notice_from"]) if "notice_from" in case.extras else add_workdays(visited_on, gap(1, 2))
    until = add_workdays(start, NOTICE_DAYS - 1)
    case.notice = {"from": start, "until": until, "objections": []}
    if "objection" in case.extras:
        by, on, text, resolved, resolution = case.extras["objection"]
        objection: dict[str, Any] = {"by": by, "on": d(on), "text": text}
        if resolved:
            objection["resolved"] = {"by": resolved[0], "on": d(resolved[1])}
            objection["resolution"] = resolution
        case.notice["objections"].append(objection)
    if case.status == "on_notice":
        return
    if case.status == "rejected":
        settled = max(o["resolved"]["on"] for o in case.notice["objections"])
        case.approvals.append(
            step("reject", CHAIR, add_workdays(settled, 1),
                 "公示期间收到实名反映，经核实申请人隐瞒家庭经营性收入，不符合建档条件，不予建档。",
                 decision="rejected")
        )
        return
    approved_on = add_workdays(until, gap(1, 3))
    level = LEVEL_ZH[case.level]
    case.approvals.append(step("approve", CHAIR, approved_on, APPROVE_NOTES["chair"].format(level=level), "approved"))
    if case.level in ("deep", "accident"):
        case.approvals.append(step("approve", LEADER, add_workdays(approved_on, 0 if fast else rng.randint(0, 1)),
                                   APPROVE_NOTES["leader"], "approved"))


def reviews_and_closing(case: Case) -> None:
    """Annual reviews (动态管理) until today or the closing, then review_due or `closed`."""
    since = case.active_since
    if since is None:
        return
    closed_on = d(case.extras["closed"][0]) if "closed" in case.extras else None
    last = since
    while True:
        due = last + timedelta(days=REVIEW_DAYS)
        if due > TODAY:
            break
        day = workday_from(due - timedelta(days=rng.randint(5, 25)))
        if closed_on and day >= closed_on:
            break
        officer = rng.choice(CASEWORKERS)
        level = LEVEL_ZH[case.level]
        case.checks.append(step("review", officer, day, REVIEW_OFFICER.format(year=day.year)))
        case.approvals.append(step("review", CHAIR, day, REVIEW_CHAIR.format(level=level), "approved"))
        case.reviews.append((day, officer))
        last = day
    if closed_on:
        on, reason, note = case.extras["closed"]
        case.status = "closed"
        case.closed = {"on": d(on), "reason": reason, "by": rng.choice(CASEWORKERS), "note": note}
    elif case.status == "active":
        case.review_due = last + timedelta(days=REVIEW_DAYS)


def case_record(case: Case) -> dict[str, Any]:
    worker = dict(case.worker)
    worker["employee_id"] = Quoted(worker["employee_id"])
    worker["phone"] = Quoted(worker["phone"])
    worker["id_number"] = Quoted(worker["id_number"])
    rec: dict[str, Any] = {"id": case.id, "status": case.status, "worker": worker}
    if case.household:
        rec["household"] = [{k: v for k, v in m.items() if not k.startswith("_")} for m in case.household]
    rec["housing"] = case.housing
    rec["income"] = case.income
    rec["level"] = case.level
    rec["causes"] = {"primary": case.arch["primary"], "secondary": case.secondary} if case.secondary else {
        "primary": case.arch["primary"]}
    if case.status in ("active", "closed", "on_notice"):
        bank = case.bank
        rec["bank"] = {"name": bank["name"], "account": Quoted(bank["account"])}
    rec["filed"] = {"by": case.filed_by, "on": case.filed}
    if case.checks:
        rec["checks"] = case.checks
    if case.approvals:
        rec["approvals"] = case.approvals
    if case.notice:
        notice = {"from": case.notice["from"], "until": case.notice["until"]}
        if case.notice["objections"]:
            notice["objections"] = case.notice["objections"]
        rec["notice"] = notice
    if case.referrals:
        rec["referrals"] = case.referrals
    if case.review_due:
        rec["review_due"] = case.review_due
    if case.closed:
        rec["closed"] = case.closed
    rec["notes"] = case.notes
    return rec


# =======================================================================================
# Referrals (联系协调): help the union asks of other bodies, and what came back. Written
# out by hand, without the random draws, so the rest of the demo is not disturbed.


def referral(case: Case, to: str, body: str, purpose: str, sent_on: str, status: str = "sent",
             answered: tuple[str, str] | None = None, amount: int | None = None,
             monthly_income: int | None = None, note: str | None = None) -> None:
    sent = d(sent_on)
    assert is_workday(sent) and case.filed <= sent <= LAST_SIGNED, (case.index, sent)
    r: dict[str, Any] = {"to": to, "body": body, "purpose": purpose,
                         "sent": {"by": case.filed_by, "on": sent}, "status": status}
    assert (status == "sent") == (answered is None), (case.index, status)
    if answered:
        on = d(answered[0])
        assert is_workday(on) and sent <= on <= LAST_SIGNED, (case.index, on)
        r["answered"] = {"on": on, "note": answered[1]}
    if amount is not None:
        r["amount"] = money(amount)
    if monthly_income is not None:
        r["monthly_income"] = money(monthly_income)
    if note:
        r["note"] = note
    case.referrals.append(r)


def per_capita(case: Case) -> Decimal:
    """As the model computes it: recurring help received through referrals counts."""
    extra = sum((r["monthly_income"] for r in case.referrals
                 if r["status"] == "helped" and "monthly_income" in r), ZERO)
    net = case.income["household_monthly"] + extra - case.income["rigid_expenses_monthly"]
    return (max(net, ZERO) / (1 + len(case.household))).quantize(D("0.01"))


def plan_referrals(cases: list[Case]) -> None:
    by_index = {c.index: c for c in cases}

    # 低保 granted by civil affairs: 300 a month, which counts as household income
    referral(by_index[24], "civil_affairs", "某县民政局", "协助申请城乡居民最低生活保障（低保）", "2025-11-17",
             status="helped",
             answered=("2026-01-14", "经县民政局审核审批，自2026年1月起纳入城市低保，每月发放低保金300元。"),
             monthly_income=300,
             note="工会出具困难职工家庭证明，协助准备家庭收入及财产申报材料；低保金计入家庭收入。")
    # 大病救助 of the city union: a one-off amount
    referral(by_index[10], "city_union", "某市总工会（困难职工帮扶中心）", "申报市总工会困难职工家庭大病救助",
             "2025-03-17", status="helped",
             answered=("2025-04-22", "市总工会审批同意，大病救助金已拨付至职工本人银行账户。"),
             amount=5000,
             note="随申报表附医保结算单及自付费用票据复印件。")
    # 学费减免 at a student's college: answered, not yet decided
    school = by_index[30]
    student = next(m for m in school.students if "学校" in m["occupation"] or "学院" in m["occupation"]
                   or "大学" in m["occupation"])
    college = student["_college"]
    referral(school, "school", f"{college}学生资助管理中心",
             f"为在读子女{student['name']}申请学费减免（家庭经济困难学生认定）", "2026-09-07",
             status="answered",
             answered=("2026-10-15", "学校回复：已认定为家庭经济困难学生，学费减免申请已受理，"
                                     "评审结果待学校资助工作领导小组审定后于12月公布。"))
    # 诊疗费用减免 at the hospital that treats the worker: answered
    patient = by_index[8]
    hospital = patient.words["hospital"]
    referral(patient, "hospital", f"{hospital}医务科", "联系医院为困难职工办理诊疗费用减免", "2026-06-15",
             status="answered",
             answered=("2026-06-29", "医院回复：可按困难职工身份减免部分诊疗费及床位费，"
                                     "需持工会出具的困难职工证明到医务科办理登记。"),
             note="已出具困难职工证明，待职工下次就诊时办理。")
    # still open at the end of November
    referral(by_index[33], "civil_affairs", "某县民政局", "协助申请临时救助（因交通事故致困）", "2026-11-16",
             note="已报送申请表、事故认定书复印件及医疗费用票据，等待民政部门入户核查。")
    referral(by_index[32], "other", "某县残疾人联合会", "申请残疾儿童康复救助（康复训练费用补贴）", "2026-11-20",
             note="残疾证、康复机构评估报告复印件已随函报送。")

    # the tier a case states must still follow its income, now with the help received
    for case in cases:
        if not case.referrals or case.level == "accident":
            continue
        pc, standard = per_capita(case), standard_on(case.filed)
        fits = pc < standard if case.level == "deep" else standard <= pc < 2 * standard
        if not fits:
            raise SystemExit(f"row {case.index}: per-capita {pc} with referral income no longer "
                             f"fits {case.level} against {standard}")


# =======================================================================================
# Grants


class Grants:
    """Every item of help, with the guards the rules impose (caps, earmarks, filing)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.case_year: dict[tuple[str, str, int], Decimal] = defaultdict(lambda: ZERO)
        self.campaign_left: dict[str, Decimal] = {}

    def room(self, case: Case, kind: str, year: int) -> Decimal | None:
        cap = CAPS.get(kind, {}).get("per_case_year")
        return None if cap is None else cap - self.case_year[(case.id, kind, year)]

    def propose(
        self,
        case: Case,
        kind: str,
        amount: Decimal | int,
        on: date,
        reason: str,
        fund: str = "union",
        by: str | None = None,
        outcome: str | None = None,
        approve_on: date | None = None,
        pay_on: date | None = None,
        ended: tuple[str, ...] | None = None,
        notes: str | None = None,
    ) -> dict[str, Any] | None:
        """Propose help; outcome None lets the calendar decide (approved, paid by today)."""
        amount = money(amount)
        on = workday_from(on)
        if on > LAST_SIGNED:
            return None
        counts = outcome not in ("rejected", "cancelled")
        if counts and kind != "emergency" and not case.active_on(on):
            return None
        if counts:
            per_grant = CAPS.get(kind, {}).get("per_grant")
            if per_grant is not None:
                amount = min(amount, per_grant)
            room = self.room(case, kind, on.year)
            if room is not None and amount > room:
                amount = (room // 100) * 100
                if amount < 300:
                    return None
            if fund.startswith("campaign:"):
                left = self.campaign_left[fund]
                if amount > left:
                    return None
                self.campaign_left[fund] = left - amount
            self.case_year[(case.id, kind, on.year)] += amount
        by = by or (case.filed_by if rng.random() < 0.7 else other_caseworker(case.filed_by))
        grant: dict[str, Any] = {
            "id": "",
            "case": case,
            "kind": kind,
            "amount": amount,
            "fund": fund,
            "status": "proposed",
            "proposed": {"by": by, "on": on, "reason": reason},
            "approvals": [],
        }
        # the approvers the policy asks for, in order, never the proposer
        approvers = []
        for role in roles_required(amount):
            people = [n for n, r in OFFICERS.items() if r == role and n != by]
            approvers.append(people[0])
        day = approve_on or add_workdays(on, rng.randint(1, 2))
        steps = []
        for who in approvers:
            steps.append(step("approve", who, day, None, "approved"))
            day = add_workdays(day, rng.randint(0, 1)) if approve_on is None else day
        if outcome == "rejected":
            why = ended[1]
            refuser = approvers[0]
            refused_on = steps[0]["on"]
            grant["approvals"] = [step("reject", refuser, refused_on, why, "rejected")]
            grant["status"] = "rejected"
            grant["ended"] = {"by": refuser, "on": refused_on, "reason": why}
        elif outcome == "cancelled":
            who, why, *when = ended
            grant["approvals"] = [s for s in steps if s["on"] <= LAST_SIGNED] if approve_on else []
            cancel_on = d(when[0]) if when else workday_from(on + timedelta(days=rng.randint(1, 10)))
            if grant["approvals"]:
                cancel_on = max(cancel_on, grant["approvals"][-1]["on"])
            grant["status"] = "cancelled"
            grant["ended"] = {"by": who, "on": cancel_on, "reason": why}
        else:
            signed = [s for s in steps if s["on"] <= LAST_SIGNED]
            if outcome == "proposed":
                signed = []
            elif outcome == "partial":
                signed = signed[: len(steps) - 1]
            grant["approvals"] = signed
            if signed and len(signed) == len(steps):
                grant["status"] = "approved"
                paid = pay_on or add_workdays(signed[-1]["on"], rng.randint(1, 3))
                paid = max(paid, signed[-1]["on"])
                if outcome != "approved" and paid <= LAST_SIGNED:
                    grant["status"] = "paid"
                    grant["paid"] = {"by": FINANCE, "on": paid, "voucher": ""}
        if notes:
            grant["notes"] = notes
        self.items.append(grant)
        return grant


def grant_record(g: dict[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": g["id"],
        "case": g["case"].id,
        "kind": g["kind"],
        "amount": g["amount"],
        "fund": g["fund"],
        "status": g["status"],
        "proposed": g["proposed"],
    }
    if g["approvals"]:
        rec["approvals"] = g["approvals"]
    if "paid" in g:
        rec["paid"] = g["paid"]
    if "ended" in g:
        rec["ended"] = g["ended"]
    if "notes" in g:
        rec["notes"] = g["notes"]
    return rec


# Holiday help: (proposed on, approved on, paid on, occasion, amounts by level, visit days)
HOLIDAY_EVENTS = [
    ("2025-01-20", "2025-01-21", "2025-01-22", "spring_festival",
     {"deep": 1000, "relative": 800, "accident": 800}, ("2025-01-21", "2025-01-27")),
    ("2025-09-22", "2025-09-23", "2025-09-24", "mid_autumn",
     {"deep": 500, "relative": 300, "accident": 300}, ("2025-09-24", "2025-09-30")),
    ("2026-02-02", "2026-02-03", "2026-02-04", "spring_festival",
     {"deep": 1200, "relative": 800, "accident": 800}, ("2026-02-04", "2026-02-13")),
    ("2026-09-14", "2026-09-15", "2026-09-16", "mid_autumn",
     {"deep": 500, "relative": 300, "accident": 300}, ("2026-09-16", "2026-09-24")),
]
OCCASION_ZH = {"spring_festival": "春节", "mid_autumn": "中秋", "dragon_boat": "端午", "summer_cooling": "夏送清凉"}
LIVING_HALVES = ["2025-06-16", "2025-12-15", "2026-06-15", "2026-11-16"]
SCHOOLING_DAYS = ["2025-08-18", "2026-08-17"]


def plan_grants(cases: list[Case], campaigns: dict[str, dict[str, Any]], g: Grants) -> dict[str, list[Case]]:
    """All the help of two years. Returns, per holiday event, the households visited."""
    by_index = {c.index: c for c in cases}
    visited: dict[str, list[Case]] = {}

    # 节日慰问: every active household at Spring Festival; deep, elderly and disaster-hit
    # households also at Mid-Autumn.
    for proposed, approved, paid, occasion, amounts, _days in HOLIDAY_EVENTS:
        on, year = d(proposed), d(proposed).year
        proposer = "李明" if occasion == "spring_festival" else "陈静"
        got = []
        for case in cases:
            if not case.active_on(on):
                continue
            if occasion == "mid_autumn" and case.level == "relative" and case.worker["employment"] != "retired":
                continue
            fund = "higher_union" if case.level == "deep" and occasion == "spring_festival" else "union"
            reason = f"{year}年{OCCASION_ZH[occasion]}走访慰问金（{LEVEL_ZH[case.level]}）"
            grant = g.propose(case, "holiday", amounts[case.level], on, reason, fund, by=proposer,
                              approve_on=d(approved), pay_on=d(paid))
            if grant:
                got.append(case)
        visited[proposed] = got
    # 送温暖 drive of 2026: an extra 600 for every deep household, from the donations
    for case in cases:
        on = d("2026-02-03")
        if case.level == "deep" and case.active_on(on):
            g.propose(case, "holiday", 600, on, "2026年春节“送温暖、献爱心”捐款慰问", "campaign:DC-2026-01",
                      by="陈静", approve_on=d("2026-02-04"), pay_on=d("2026-02-05"),
                      notes="随春节走访一并送达，受助职工已签收。")
    # the duplicate entry, cancelled the same week
    dup = by_index[8]
    g.propose(dup, "holiday", 1200, d("2026-02-02"), "2026年春节走访慰问金（深度困难）", "higher_union", by="陈静",
              outcome="cancelled", ended=("陈静", "重复录入，与李明同日提出的慰问金重复，予以撤销。", "2026-02-03"))

    # 生活救助: deep households every half year (600 a month), relative households with no
    # earner to speak of once a year.
    for half in LIVING_HALVES:
        on = d(half)
        for case in cases:
            if not case.active_on(on):
                continue
            if case.level == "deep":
                months = min(6, max(1, round((on - case.active_since).days / 30.4)))
                amount = 600 * months
                reason = f"{on.year}年{'上' if on.month <= 6 else '下'}半年生活救助（{months}个月，每月600元）"
            elif case.level == "relative" and case.kind in ("retired_alone", "insurance_unpaid", "not_employed",
                                                             "laid_off", "single_parent", "widow_grandchild"):
                if on.month <= 6:
                    continue
                amount = 1500
                reason = f"{on.year}年度生活救助"
            else:
                continue
            outcome = None
            if half == "2026-11-16":
                outcome = "partial" if amount > 2000 and case.index % 3 == 0 else None
            fund = "union" if case.index % 4 else "employer"
            g.propose(case, "living", amount, on, reason, fund, outcome=outcome,
                      pay_on=d("2026-11-30") if half == "2026-11-16" else None)
    # a living relief refused after a review found new income
    g.propose(by_index[13], "living", 1500, d("2026-06-15"), "2026年上半年生活救助", outcome="rejected",
              ended=("", "复核发现家庭成员外出务工收入增加，本年度不再给予生活救助，保留节日慰问。"))

    # 医疗救助: every four or five months for households whose hardship is illness, at
    # most the out-of-pocket share.
    for case in cases:
        if not case.arch["ill"] or case.status not in ("active", "closed") or case.kind == "surgery":
            continue
        day = case.active_since + timedelta(days=rng.randint(30, 100))
        while day <= LAST_SIGNED:
            own = rng.randint(8, 60) * 1000 + rng.randint(0, 999)
            amount = min(rng.choice([2000, 2500, 3000, 4000, 5000, 6000, 8000]), own // 2 // 100 * 100)
            who = "本人" if case.worker.get("diagnosis") else "家属"
            reason = f"{who}住院治疗医疗救助：医保报销后自付{own:,}元（票据已核）"
            outcome = None
            if day >= d("2026-11-02"):
                outcome = "partial" if amount > 2000 else "proposed"
            g.propose(case, "medical", amount, day, reason, rng.choice(["union", "union", "employer"]),
                      outcome=outcome)
            day += timedelta(days=rng.randint(180, 260))

    # 金秋助学: each student in high school or university, in August
    for half in SCHOOLING_DAYS:
        on = d(half)
        for case in cases:
            if not case.active_on(on):
                continue
            for m in case.students:
                occ = m["occupation"]
                if "大" in occ or "学院" in occ or "学校" in occ:
                    amount, level = 3000, "大学"
                elif ("高" in occ or "职业中学" in occ) and case.level == "deep":
                    amount, level = 1500, "高中"
                else:
                    continue
                g.propose(case, "schooling", amount, on, f"{on.year}年金秋助学：{m['name']}（{level}）",
                          "higher_union")
    # a spring-term grant, and one refused as a double
    for idx in (28, 22):
        case = by_index[idx]
        for m in case.students[:1]:
            g.propose(case, "schooling", 1000, d("2026-02-25"), f"2026年春季学期助学：{m['name']}", "union")
    g.propose(by_index[3], "schooling", 3000, d("2026-08-24"), "2026年金秋助学补充申请", "higher_union",
              outcome="rejected",
              ended=("", "该生本学年已获国家助学金及学校奖学金，本会金秋助学已资助，不重复资助。"))

    # 临时救助
    def emergency(idx: int, amount: int, on: str, reason: str, fund: str = "union", **kw: Any) -> None:
        g.propose(by_index[idx], "emergency", amount, d(on), reason, fund, **kw)

    emergency(15, 5000, "2025-03-10", "工伤住院期间临时救助（工伤保险待遇尚未到位）")
    for idx in (19, 20, 21):
        emergency(idx, 2000, "2025-07-24", "“7·22”暴雨洪灾临时救助（灾后第一时间）")
    for idx, amount in ((19, 5000), (20, 5000), (21, 4000)):
        emergency(idx, amount, "2025-08-11", "“7·22”洪灾捐款救助：房屋修缮", "campaign:DC-2025-01",
                  notes="洪灾捐款按房屋受损程度分配，经工会委员会研究确定。")
    emergency(20, 3000, "2025-09-08", "灾后重建临时救助", outcome="cancelled",
              ended=("李明", "申请人已获农房保险理赔，主动撤回申请。"))
    emergency(26, 3000, "2025-12-08", "住房火灾临时救助")
    emergency(2, 1500, "2026-03-16", "住房屋顶漏雨维修临时救助")
    emergency(33, 5000, "2026-08-10", "交通事故住院期间临时救助")
    emergency(37, 3000, "2026-11-10", "住房火灾临时救助（建档期间）")
    emergency(41, 2000, "2026-11-25", "突发心肌梗死住院临时救助（建档期间）", outcome="proposed")
    emergency(7, 3000, "2025-09-15", "申请购房首付款临时救助", outcome="rejected",
              ended=("", "购房首付不属于临时救助范围，不予救助。"))

    # the named colleague's surgery: the whole drive goes to him, then the union adds
    surgery = by_index[31]
    drive = campaigns["DC-2026-02"]
    g.propose(surgery, "medical", drive["_raised"], d("2026-05-25"),
              "职工献爱心捐款：冠状动脉搭桥手术医疗费用", "campaign:DC-2026-02", by="李明",
              notes="捐款全额转交本人，受助人已签收并致感谢信。")
    g.propose(surgery, "medical", 6000, d("2026-07-13"), "搭桥手术医疗救助：医保报销后自付48,360元（票据已核）",
              "employer")
    # after the death: the last medical relief is cancelled
    g.propose(by_index[4], "medical", 3000, d("2026-08-03"), "住院治疗医疗救助", "union", outcome="cancelled",
              ended=("陈静", "职工已于8月12日病故，本笔取消，改按规定发放丧葬慰问。", "2026-08-17"))
    # a medical relief refused: the insurance had paid nearly all
    g.propose(by_index[25], "medical", 2000, d("2026-03-23"), "住院治疗医疗救助", outcome="rejected",
              ended=("", "该次住院经基本医保及大病保险报销后自付不足500元，不符合医疗救助条件。"))

    # waiting at the end of November: submitted, not yet signed
    for idx, kind, amount, on, reason in (
        (2, "medical", 5000, "2026-11-26", "家属门诊及住院医疗救助：医保报销后自付16,820元（票据已核）"),
        (15, "legal", 1200, "2026-11-24", "工伤赔偿纠纷二审律师代理费用"),
        (30, "schooling", 1000, "2026-11-27", "子女冬季学期住宿及教材费用助学"),
    ):
        g.propose(by_index[idx], kind, amount, d(on), reason, outcome="proposed")

    # 就业与培训
    for idx, amount, on, reason in (
        (11, 1200, "2025-04-14", "子女电工技能培训及考证费用补贴"),
        (6, 800, "2025-09-09", "本人电商直播技能培训补贴"),
        (24, 1000, "2026-03-10", "本人叉车操作证培训补贴"),
        (18, 1000, "2026-05-11", "非收购季农机维修技能培训补贴"),
        (28, 800, "2026-06-22", "本人育婴员职业技能培训补贴"),
        (24, 500, "2026-11-23", "本人参加县人社局招聘会交通及体检费用补贴"),
    ):
        g.propose(by_index[idx], "employment", amount, d(on), reason)
    # 法律援助
    for idx, amount, on, reason in (
        (15, 2000, "2025-05-12", "工伤认定及赔偿纠纷律师代理费用"),
        (12, 800, "2025-06-23", "养老金补发争议法律咨询及仲裁费用"),
        (18, 600, "2025-10-20", "季节性用工工资争议仲裁费用"),
        (33, 1500, "2026-10-19", "交通事故人身损害赔偿诉讼律师费用"),
    ):
        g.propose(by_index[idx], "legal", amount, d(on), reason)
    # 其他
    g.propose(by_index[5], "other", 1800, d("2025-05-19"), "助残辅具：电动轮椅一台", "employer")
    g.propose(by_index[27], "other", 1500, d("2026-04-20"), "适老化改造：卫生间扶手及防滑地面", "employer")
    g.propose(by_index[32], "other", 2400, d("2026-11-18"), "残疾儿童康复训练费用补助", "employer")
    return visited


# =======================================================================================
# Campaigns


def contributions(opened: date, closed: date, n: int, amounts: list[int], units: list[tuple[str, int]],
                  named: list[tuple[str, int]]) -> list[dict[str, Any]]:
    entries = []
    for donor, amount in named + units:
        entries.append({"donor": donor, "amount": money(amount), "on": workday_from(rand_day(opened, closed - timedelta(days=3)))})
    for _ in range(n):
        sex = rng.choice(["male", "female"])
        donor = person_name(sex, rng.randint(1966, 2000))
        entry = {"donor": donor, "amount": money(rng.choice(amounts)), "on": workday_from(rand_day(opened, closed - timedelta(days=3)))}
        if rng.random() < 0.2:
            entry["anonymous"] = True
        entries.append(entry)
    entries.sort(key=lambda e: e["on"])
    for e in entries:
        if e["on"] > closed:
            e["on"] = closed
    return entries


def build_campaigns(cases: list[Case]) -> dict[str, dict[str, Any]]:
    by_index = {c.index: c for c in cases}
    flood = {
        "id": "DC-2025-01",
        "title": "“7·22”暴雨洪灾受灾职工献爱心捐款",
        "opened": d("2025-07-24"),
        "closed": d("2025-08-08"),
        "target": money(20000),
        "purpose": "救助在“7·22”暴雨洪灾中住房受损的职工家庭（因灾）",
        "contributions": contributions(
            d("2025-07-24"), d("2025-08-08"), 42, [100, 100, 200, 200, 200, 300, 500],
            [("物流中心全体职工", 2350), ("营销部全体职工", 1880), ("专卖管理科全体职工", 1260)],
            [("张建国", 1000), ("王芳", 800), ("李明", 300), ("陈静", 300), ("赵丽", 300)],
        ),
        "notes": "捐款按受灾程度分配给受灾职工家庭，分配方案已在单位公示栏公示。",
    }
    warmth = {
        "id": "DC-2026-01",
        "title": "2026年春节“送温暖、献爱心”募捐",
        "opened": d("2026-01-06"),
        "closed": d("2026-01-30"),
        "target": money(10000),
        "purpose": "春节前为深度困难职工家庭筹集慰问金",
        "contributions": contributions(
            d("2026-01-06"), d("2026-01-30"), 48, [50, 100, 100, 100, 200, 200],
            [("办公室全体职工", 860), ("财务科全体职工", 640)],
            [("张建国", 500), ("王芳", 500)],
        ),
        "notes": "捐款用于春节前慰问深度困难职工家庭，结余部分留待下次“送温暖”活动使用，收支情况已公示。",
    }
    patient = by_index[31]
    gifts = contributions(d("2026-05-08"), d("2026-05-22"), 38, [20, 50, 50, 100, 100, 100, 200], [],
                          [("王芳", 300)])
    surgery = {
        "id": "DC-2026-02",
        "title": f"为{patient.unit.split('（')[0]}{patient.worker['name']}同志手术治疗献爱心",
        "beneficiary": patient,
        "opened": d("2026-05-08"),
        "closed": d("2026-05-22"),
        "target": money(3000),
        "purpose": f"{patient.worker['name']}同志在单位体检中查出冠心病，须行冠状动脉搭桥手术，职工自愿捐款。",
        "contributions": gifts,
        "notes": "捐款全额转交受助人本人（专款专用），明细已公示，匿名捐款人只公示金额。",
    }
    drives = {c["id"]: c for c in (flood, warmth, surgery)}
    for c in drives.values():
        c["_raised"] = sum((e["amount"] for e in c["contributions"]), ZERO)
    assert drives["DC-2026-02"]["_raised"] > 3000, drives["DC-2026-02"]["_raised"]
    return drives


def campaign_record(c: dict[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": c["id"], "title": c["title"]}
    if "beneficiary" in c:
        rec["beneficiary"] = c["beneficiary"].id
    for key in ("opened", "closed", "target", "purpose", "contributions", "notes"):
        if key in c:
            rec[key] = c[key]
    return rec


# =======================================================================================
# Visits


def build_visits(cases: list[Case], visited: dict[str, list[Case]]) -> list[dict[str, Any]]:
    visits: list[dict[str, Any]] = []

    def add(on: date, occasion: str, visitors: list[str], group: list[Case], findings: str,
            goods: str | None = None, follow_up: date | None = None, notes: str | None = None) -> None:
        v: dict[str, Any] = {"id": "", "on": on, "occasion": occasion, "visitors": visitors,
                             "cases": [c.id for c in group]}
        if goods:
            v["goods"] = goods
        v["findings"] = findings
        if follow_up:
            v["follow_up"] = follow_up
        if notes:
            v["notes"] = notes
        visits.append(v)

    # 入户调查 for every application that got that far
    for case in cases:
        if case.home_visit is None:
            continue
        on, visitors, finding = case.home_visit
        follow = None
        if on >= d("2026-11-01"):
            follow = add_workdays(on, rng.randint(8, 14))
        elif rng.random() < 0.3:
            follow = add_workdays(on, rng.randint(10, 30))
        add(on, "home_check", visitors, [case], finding, follow_up=follow,
            notes="入户调查，拍照留存住房及家庭情况。" if rng.random() < 0.5 else None)

    # 年度复核入户 (routine), grouped by day
    by_day: dict[date, list[Case]] = defaultdict(list)
    officers: dict[date, str] = {}
    for case in cases:
        for day, officer in case.reviews:
            by_day[day].append(case)
            officers.setdefault(day, officer)
    for day in sorted(by_day):
        group = by_day[day]
        officer = officers[day]
        text = "年度复核入户：" + "；".join(f"{c.worker['name']}家困难状况未明显改善，继续保留档案" for c in group) + "。"
        add(day, "routine", [officer, other_caseworker(officer)], group, text)

    # 节日走访慰问
    teams = [[LEADER, "李明"], [CHAIR, "陈静"], [LEADER, CHAIR, "李明"], [CHAIR, "李明"]]
    for proposed, _approved, _paid, occasion, amounts, (first, last) in HOLIDAY_EVENTS:
        group_all = sorted(visited[proposed], key=lambda c: (c.is_rural, c.unit, c.id))
        days = [x for x in (d(first) + timedelta(days=i) for i in range((d(last) - d(first)).days + 1)) if is_workday(x)]
        chunks = [group_all[i : i + 5] for i in range(0, len(group_all), 5)]
        for n, chunk in enumerate(chunks):
            on = days[min(n * len(days) // max(1, len(chunks)), len(days) - 1)]
            remarks = "；".join(rng.choice(VISIT_REMARKS).format(name=c.worker["name"]) for c in chunk)
            money_words = "、".join(sorted({f"{amounts[c.level]}元" for c in chunk}))
            follow = None
            if rng.random() < 0.3:
                follow = add_workdays(on, rng.randint(10, 20))
            add(on, occasion, teams[n % len(teams)], chunk,
                f"走访慰问{len(chunk)}户困难职工家庭，送去慰问金（{money_words}）和慰问品。{remarks}。",
                goods=HOLIDAY_GOODS[occasion], follow_up=follow)

    # 端午、夏送清凉: goods only
    elders = [c for c in cases if c.worker["employment"] == "retired"]
    for on, occasion in (("2025-05-28", "dragon_boat"), ("2026-06-17", "dragon_boat")):
        group = [c for c in elders if c.active_on(d(on))]
        add(d(on), occasion, [CHAIR, "陈静"], group,
            "端午节前看望离退休困难职工，" + "；".join(f"{c.worker['name']}身体状况尚可" for c in group) + "。",
            goods=HOLIDAY_GOODS[occasion])
    leaf = [c for c in cases if c.is_rural and c.active_on(d("2025-07-16"))]
    add(d("2025-07-16"), "summer_cooling", [LEADER, "李明"], leaf,
        "烤烟收购季前到烟叶站走访一线困难职工，送去防暑降温用品，提醒高温作业注意防暑。",
        goods=HOLIDAY_GOODS["summer_cooling"])

    # 住院看望
    by_index = {c.index: c for c in cases}
    add(d("2025-03-12"), "hospital", [CHAIR, "李明"], [by_index[15]],
        "到县人民医院看望工伤住院职工，了解工伤认定进展，协调单位先行垫付部分医疗费用。", goods="水果、营养品",
        follow_up=d("2025-04-10"))
    add(d("2026-05-14"), "hospital", [CHAIR, LEADER, "李明"], [by_index[31]],
        "到市第一人民医院看望搭桥手术后职工，转达全体职工的问候，献爱心捐款待募捐结束后全额转交。", goods="鲜花、营养品")
    add(d("2026-08-12"), "hospital", [CHAIR, "陈静"], [by_index[33]],
        "看望交通事故受伤职工家属，了解伤情和赔偿进展，告知可申请工会法律援助。", goods="水果、营养品",
        follow_up=d("2026-09-15"))
    add(d("2026-11-26"), "hospital", ["李明", "陈静"], [by_index[41]],
        "到市中心医院看望心梗住院职工，指导填写困难职工建档申请，临时救助已提交审批。",
        follow_up=d("2026-12-04"))
    add(d("2025-07-24"), "routine", [LEADER, CHAIR, "李明"], [c for c in cases if c.kind == "flood"],
        "“7·22”暴雨洪灾后第一时间到受灾职工家中查看灾情，统计损失，安排临时救助和献爱心捐款。",
        follow_up=d("2025-08-15"), notes="受灾职工在灾后次日提交建档申请。")
    visits.sort(key=lambda v: v["on"])
    return visits


def visit_record(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v[k] for k in ("id", "on", "occasion", "visitors", "cases", "goods", "findings", "follow_up", "notes")
            if k in v}


# =======================================================================================
# Budgets


def ceil_to(x: Decimal, step: int) -> Decimal:
    return (x / step).to_integral_value(rounding=ROUND_CEILING) * step


def build_budgets(grants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines and fund sources that the year's help fits in: what was used (and is
    waiting) plus a margin."""
    kinds = ["living", "medical", "schooling", "holiday", "emergency", "employment", "legal", "other"]
    budgets = []
    for year, reserve, approved_on in ((2025, 20000, "2024年12月20日"), (2026, 25000, "2025年12月19日")):
        lines = {}
        for kind in kinds:
            used = sum(
                (x["amount"] for x in grants
                 if x["proposed"]["on"].year == year and x["kind"] == kind
                 and not x["fund"].startswith("campaign:") and x["status"] in ("approved", "paid", "proposed")),
                ZERO,
            )
            margin = D("1.04") if (year, kind) == (2026, "medical") else D("1.15")
            lines[kind] = money(max(ceil_to(used * margin, 1000), D(2000)))
        total = sum(lines.values(), ZERO) + reserve
        # The higher union and the employer give what their help needs, with a margin; the
        # union's own funds the rest (so that no source is spent beyond its plan).
        higher, employer = (
            ceil_to(
                sum(
                    (x["amount"] for x in grants
                     if x["proposed"]["on"].year == year and x["fund"] == fund
                     and x["status"] in ("approved", "paid", "proposed")),
                    ZERO,
                ) * D("1.15"),
                100,
            )
            for fund in ("higher_union", "employer")
        )
        budgets.append(
            {
                "year": year,
                "total": money(total),
                "lines": lines,
                "reserve": money(reserve),
                "sources": {"union": money(total - higher - employer), "higher_union": money(higher),
                            "employer": money(employer)},
                "notes": f"{year}年度困难职工帮扶资金预算，经工会委员会{approved_on}会议审议通过，优先预算、专款专用；"
                "预留资金用于突发事件和年中追加。",
            }
        )
    return budgets


# =======================================================================================
# YAML out


class Quoted(str):
    """A string written in double quotes (employee numbers, phones, ID numbers)."""


class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _money(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:.2f}")


def _quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    short = value and all(isinstance(x, str) and len(x) <= 16 for x in value) and len(value) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=bool(short))


# `on` and `off` are booleans only in YAML 1.1; our loader reads every scalar as text, so
# the key `on:` is written plain (true/false/yes/no are still quoted when they are text).
Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not (first in "oO" and tag.endswith(":bool"))]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
Dumper.add_representer(Decimal, _money)
Dumper.add_representer(Quoted, _quoted)
Dumper.add_representer(list, _list)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# =======================================================================================
# Main


def build_cases() -> list[Case]:
    cases: list[Case] = []
    for index, (filed, archetype, level, status, extras) in enumerate(CASE_PLAN, start=1):
        case = Case(index, workday_from(d(filed)), archetype, level, status, extras)
        if "same_as" in extras:
            copy_household(case, cases[extras["same_as"] - 1])
            if not build_income(case):
                raise SystemExit(f"no income fits row {index} ({archetype}, {level})")
        else:
            build_worker(case)
            for _attempt in range(20):  # another household of the same kind if none fits
                build_members(case)
                if build_income(case):
                    break
            else:
                raise SystemExit(f"no income fits row {index} ({archetype}, {level})")
        diagnose_members(case)
        case.housing = housing_for(case)
        options = case.arch["secondary"]
        case.secondary = list(rng.choice(options)) if options else []
        case.bank = bank_account()
        intake(case)
        words = describe(case)
        case.notes = case.arch["story"].format(**words)
        cases.append(case)
    # IDs in the order of filing, numbered per year
    seq: dict[int, int] = defaultdict(int)
    for case in sorted(cases, key=lambda c: (c.filed, c.index)):
        seq[case.filed.year] += 1
        case.id = f"HS-{case.filed.year}-{seq[case.filed.year]:04d}"
    for case in cases:
        if "same_as" in case.extras:
            earlier = cases[case.extras["same_as"] - 1]
            case.notes += (f"{earlier.filed.year}年曾申请建档（{earlier.id}），因隐瞒经营收入未予建档；"
                           "其配偶经营的超市已于2026年6月停业。")
        reviews_and_closing(case)
    plan_referrals(cases)
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO / "records"), help="records root to (re)write")
    root = Path(parser.parse_args().root)

    cases = build_cases()
    campaigns = build_campaigns(cases)
    g = Grants()
    for c in campaigns.values():
        g.campaign_left[f"campaign:{c['id']}"] = c["_raised"]
    visited = plan_grants(cases, campaigns, g)
    grants = sorted(g.items, key=lambda x: x["proposed"]["on"])
    seq: dict[int, int] = defaultdict(int)
    for x in grants:
        year = x["proposed"]["on"].year
        seq[year] += 1
        x["id"] = f"GR-{year}-{seq[year]:04d}"
    # vouchers: the finance office's numbering, in the order of payment
    voucher_seq: dict[int, int] = {}
    for x in sorted((x for x in grants if "paid" in x), key=lambda x: (x["paid"]["on"], x["id"])):
        year = x["paid"]["on"].year
        voucher_seq[year] = voucher_seq.get(year, rng.randint(3, 12)) + rng.randint(1, 6)
        x["paid"]["voucher"] = f"记-{year}-{voucher_seq[year]:04d}"
    visits = build_visits(cases, visited)
    seq = defaultdict(int)
    for v in visits:
        seq[v["on"].year] += 1
        v["id"] = f"VS-{v['on'].year}-{seq[v['on'].year]:04d}"
    budgets = build_budgets(grants)

    for folder in ("budgets", "cases", "grants", "campaigns", "visits"):
        shutil.rmtree(root / folder, ignore_errors=True)
    write(root / "hardship.yaml", CONFIG_YAML)
    for b in budgets:
        write(root / "budgets" / f"{b['year']}.yaml", dump(b))
    for case in cases:
        write(root / "cases" / f"{case.id}.yaml", dump(case_record(case)))
    for x in grants:
        write(root / "grants" / x["id"][3:7] / f"{x['id']}.yaml", dump(grant_record(x)))
    for c in campaigns.values():
        write(root / "campaigns" / f"{c['id']}.yaml", dump(campaign_record(c)))
    for v in visits:
        write(root / "visits" / v["id"][3:7] / f"{v['id']}.yaml", dump(visit_record(v)))

    def tally(items: list[Any], key: Any) -> str:
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[key(item)] += 1
        return ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))

    print(f"wrote {root}")
    print(f"  cases     {len(cases):4d}: {tally(cases, lambda c: c.status)}")
    print(f"  grants    {len(grants):4d}: {tally(grants, lambda x: x['status'])}")
    print(f"                  {tally(grants, lambda x: x['kind'])}")
    print(f"  campaigns {len(campaigns):4d}")
    print(f"  visits    {len(visits):4d}: {tally(visits, lambda v: v['occasion'])}")


if __name__ == "__main__":
    main()
