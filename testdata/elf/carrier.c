/* A tiny program used to make ELF containers of every class, byte order and type; the build
 * script attaches core_demo's .BTF to each (scripts/build-fixtures.sh). */
int carrier_value = 42;
int carrier(int x) { return x + carrier_value; }
#ifdef WITH_START
void _start(void) { for (;;) { } }
#endif
