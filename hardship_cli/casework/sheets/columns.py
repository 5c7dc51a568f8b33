"""The collection sheet's columns: the words of its cells and the model's values they
stand for, the default (Chinese) headings, and a mapping file for sheets that differ."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hardship_cli.i18n import _
from hardship_cli.problems import UsageError

# ---------------------------------------------------------------------------------------
# Words of the sheet -> values of the model

SEX = {"男": "male", "女": "female", "male": "male", "female": "female"}
EMPLOYMENT = {
    "在岗": "on_job",
    "在职": "on_job",
    "下岗": "laid_off",
    "失业": "unemployed",
    "退休": "retired",
    "病休": "sick_leave",
    "长期病休": "sick_leave",
    "农民工": "migrant",
}
HEALTH = {
    "健康": "healthy",
    "良好": "healthy",
    "慢性病": "chronic_illness",
    "大病": "serious_illness",
    "重病": "serious_illness",
    "重大疾病": "serious_illness",
    "残疾": "disabled",
    "年老体弱": "elderly_frail",
}
LEVEL = {"深度困难": "deep", "相对困难": "relative", "意外致困": "accident"}
CAUSE = {
    "丧失劳动能力": "unable_to_work",
    "有劳动能力未就业": "not_employed",
    "未就业": "not_employed",
    "下岗": "laid_off",
    "未参加社会保险": "no_insurance",
    "社会保险未足额发放": "insurance_unpaid",
    "因病": "serious_illness",
    "患大病": "serious_illness",
    "因灾": "disaster",
    "因意外": "accident",
    "意外": "accident",
    "因学": "schooling",
    "子女就学": "schooling",
    "其他": "other",
}
RELATION = {
    "配偶": "spouse",
    "妻子": "spouse",
    "丈夫": "spouse",
    "子女": "child",
    "儿子": "child",
    "女儿": "child",
    "父母": "parent",
    "父亲": "parent",
    "母亲": "parent",
    "岳父母": "parent_in_law",
    "公婆": "parent_in_law",
    "兄弟姐妹": "sibling",
    "祖父母": "grandparent",
    "孙子女": "grandchild",
    "其他": "other",
}


# ---------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # where the value goes in a case record
    heading: str  # the default (Chinese) heading
    kind: str  # text | id | money | date | int | choice | causes
    choices: dict[str, str] | None = None  # the sheet's own words -> codes
    group: str | None = None  # the vocabulary's group: its words in either language read too

    @property
    def sensitive(self) -> bool:
        """Left out without --full, never quoted in a message: as the model declares it
        (domain/sensitive.py) of a case's field, or of a member's (their keys differ)."""
        from hardship_cli.domain.model import Case, Member
        from hardship_cli.domain.sensitive import is_sensitive_path

        return is_sensitive_path(Case, self.path) or is_sensitive_path(Member, self.path)


CASE_COLUMNS = [
    Column(("worker", "employee_id"), "工号", "id"),
    Column(("worker", "name"), "姓名", "text"),
    Column(("worker", "unit"), "单位", "text"),
    Column(("worker", "sex"), "性别", "choice", SEX, "sex"),
    Column(("worker", "birth_date"), "出生日期", "date"),
    Column(("worker", "id_number"), "身份证号", "id"),
    Column(("worker", "phone"), "联系电话", "id"),
    Column(("worker", "employment"), "就业状态", "choice", EMPLOYMENT, "employment"),
    Column(("worker", "health"), "健康状况", "choice", HEALTH, "health"),
    Column(("worker", "address"), "家庭住址", "text"),
    Column(("housing",), "住房情况", "text"),
    Column(("income", "household_monthly"), "家庭月收入", "money"),
    Column(("income", "rigid_expenses_monthly"), "月刚性支出", "money"),
    Column(("level",), "困难类别", "choice", LEVEL, "tier"),
    Column(("causes",), "致困原因", "causes", CAUSE, "cause"),
    Column(("bank", "name"), "开户银行", "text"),
    Column(("bank", "account"), "银行账号", "id"),
    # Notes are free text: officers write diagnoses and family matters there.
    Column(("notes",), "备注", "text"),
]
MEMBER_COLUMNS = [
    Column(("name",), "成员姓名", "text"),
    Column(("relation",), "与户主关系", "choice", RELATION, "relation"),
    Column(("birth_date",), "成员出生日期", "date"),
    Column(("health",), "成员健康状况", "choice", HEALTH, "health"),
    Column(("monthly_income",), "成员月收入", "money"),
    Column(("occupation",), "成员职业", "text"),
]
# On a separate members sheet the headings need no prefix.
MEMBER_SHEET_HEADINGS = {
    "姓名": "成员姓名",
    "关系": "与户主关系",
    "与户主关系": "与户主关系",
    "出生日期": "成员出生日期",
    "健康状况": "成员健康状况",
    "月收入": "成员月收入",
    "职业": "成员职业",
    "工号": "工号",
}
MEMBERS_SHEET = "家庭成员"
ALIASES = {
    "所在单位": "单位",
    "电话": "联系电话",
    "手机": "联系电话",
    "身份证号码": "身份证号",
    "家庭人均月收入": "",
    "月刚性支出": "月刚性支出",
    "刚性支出": "月刚性支出",
    "序号": "",
}


def load_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: `sheet heading: default heading`, one per line (YAML)."""
    if path is None:
        return {}
    from hardship_cli.load import strict

    parsed = strict.parse(path.read_bytes(), str(path))
    if parsed.problems:
        first = parsed.problems[0]
        raise UsageError(f"{first.location()}: {first.message}", first.hint)
    data = parsed.data
    known = {c.heading for c in CASE_COLUMNS + MEMBER_COLUMNS}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UsageError(
            _("{path}: a mapping file maps each sheet heading to a known heading").format(
                path=path
            ),
            _("e.g. `员工编号: 工号`; known headings: {headings}").format(
                headings=", ".join(sorted(known))
            ),
        )
    for heading, target in data.items():
        if target not in known:
            raise UsageError(
                _(
                    "{path}: `{heading}` maps to `{target}`, which is not a heading the "
                    "import knows"
                ).format(path=path, heading=heading, target=target),
                _("known headings: {headings}").format(headings=", ".join(sorted(known))),
            )
    return dict(data)
