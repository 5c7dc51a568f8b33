"""Carry out an import of the collection sheet: new case files and in-place updates, all
in one commit, or none of them.

The steps, each once whatever the sheet's length (so that 10,000 rows take seconds):
the sheet is checked against the limits and read, streamed; under the root's lock the root
is loaded once, the rows planned, every new or changed record put in place and the rules
run once over the result. A row whose record would make `validate` report a new error is
refused with its row number (the rules then run once more without it), and the good rows
are imported all the same. Then every file is written to a temporary file beside it, the
temporary files are renamed into place one by one, and the whole is one commit.

Whatever stops the import half-way (a failed write, git refusing the commit, Ctrl-C or
a kill with SIGTERM) undoes it: every file it created is removed, every file it changed
gets its old bytes back, and git's index is as it was; the message says what was undone.

- `plan`: what the rows would create, update or refuse, row by row;
- `run`: the import carried out (the entry point: `import_cases`);
- `drafts`: the records to write, checked together;
- `case_text`: a new case's text, fast;
- `commit`: writing all of it, or none.
"""
