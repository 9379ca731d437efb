"""One file per schema revision: 0001 is the first schema; each later one revises the one
before it. Revision ids are short and stable ("0001", "0002", ...)."""
