UNIT_TESTS += vdtb
UNIT_vdtb_SRCS := tests/unit/test_vdtb.c core/vdtb.c
