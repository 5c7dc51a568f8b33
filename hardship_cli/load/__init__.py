"""Loading: a records root read into typed records with every problem found on the way.
`store.load(root, checks=...)` is the entry; `files` finds the root, scans its folders and
types one file; `records` is what loading leaves; `errors` turns validation errors into
problems; `bulk`, `parsing` and `folder_plans` load many files (here or in workers);
`strict` is the reference YAML parse, `fastyaml` (with `fast_json`, `fast_walk`,
`rapidyaml`) the fast one where it gives the same result; `odd_files` admits only regular
files; `cache`, `cache_folder` and `key_lines` are the user's parse cache. Loading never
writes records and imports no rule: its caller hands it the per-record checks."""
