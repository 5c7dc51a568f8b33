"""The domain, the bottom layer: what a hardship fund's records are, whatever reads or
writes them. The record kinds (`case`, `grant`, `campaign`, `visit`, `budget`, `config`,
built on `parts` and `values`; `model` is their one import point), the enumerations, money
(`money`: Decimal yuan, caps and breaches), the registry of record kinds (`kinds`: folder,
prefix, ID width and pattern), which fields are sensitive (`sensitive`, read from the
model's declarations), the policy facts rules and casework share (`policy`) and the dated
minimum living standards (`standards`). Imports nothing of the package above it."""
