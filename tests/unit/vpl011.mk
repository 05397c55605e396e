UNIT_TESTS += vpl011
UNIT_vpl011_SRCS := tests/unit/test_vpl011.c vdev/vpl011.c
