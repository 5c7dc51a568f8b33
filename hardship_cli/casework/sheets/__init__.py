"""The units' yearly collection sheet (困难职工花名册): its columns, opening it within the
limits, reading its cells and rows, writing it back.

A sheet has one row a household, with Chinese headings by default (姓名, 工号, 单位,
家庭月收入, 致困原因 ...), and its members either on a second sheet (家庭成员, linked by
工号) or on repeated rows that carry member columns (成员姓名, 与户主关系 ...). A mapping
file renames headings for sheets that differ. Reading never guesses: a cell that cannot be
read as what its column holds refuses its row, with the row number, and the other rows go
on.

- `columns`: the sheet's words and columns, and the mapping file;
- `opening`: a sheet file checked against the limits, its rows streamed;
- `headings`: the header row found, a cell's text;
- `convert`: one cell to the text the record holds;
- `reading`: rows to households, with their members;
- `writing`: the households written back as a sheet.

What an import does with the rows is in `hardship_cli.casework.importing`.
"""
