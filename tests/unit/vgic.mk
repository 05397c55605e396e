UNIT_TESTS += vgic
UNIT_vgic_SRCS := tests/unit/test_vgic.c vdev/vgic.c
