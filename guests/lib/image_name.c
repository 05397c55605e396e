/* Compiled once per guest with -DGUEST_IMAGE_NAME="\"<name>\"" (mk/guests.mk). */
extern const char guest_image_name[];
const char guest_image_name[] = GUEST_IMAGE_NAME;
