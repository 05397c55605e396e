# Guests: bare-metal test guests, the system VM, the Linux initramfs (placeholder).
.PHONY: guests
guests:
