UNIT_TESTS += mm
UNIT_mm_SRCS := tests/unit/test_mm.c core/mm.c
