"""Editing: writing records and reading their history back. `atomic` (atomic writes, the
lock, a record file opened for editing), `roundtrip` (minimal-diff edits that keep the
officers' comments and layout), `gitrepo`, `commits` and `signing` (one commit per action,
authored and signed by the officer), and the audit trail read back from git
(`commit_log`, `changes`, `judging`, `trail`). Sits above loading: it reads what it edits."""
