"""The answers layer: what a client's answers are, how a step is saved and submitted, and how
stored answers are read back and labelled for a reader."""
