"""Casework: what officers do to the records, under the rules. `case_transitions` and
`grant_transitions` decide whether a step may happen (an `Outcome`), `actions` carries one
out safely (lock, check, write, commit) and `adding` files what `hardship add` records;
`intake` builds new records, `importing` and `sheets` take the units' yearly sheets in and
out, `referrals` follows help asked of others, `agenda` says what is due, `waiting` what
waits for whom, and `auditing` reads a root's git history against its officers."""
