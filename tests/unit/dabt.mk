UNIT_TESTS += dabt
UNIT_dabt_SRCS := tests/unit/test_dabt.c
