/* pahole 1.31's function rules, unit A (see README in this folder). */
struct big { long a, b, c, d; };
struct __attribute__((packed)) pk { char c; long l; };

/* The same static name in two units with different prototypes (b.c: long helper(long, long)). */
static __attribute__((noinline)) int helper(int x) { return x * 2 + 1; }

/* gcc -O2 clones these: a constant argument (.constprop.0), a struct pointer whose one field is
 * read (.isra.0). The DWARF function is found through the clone's symbol. */
static __attribute__((noinline)) int scale(int v, int k) { return v * k + (v >> 3); }
static __attribute__((noinline)) long first_field(struct big *b) { return b->a * 3 + 1; }

/* A weak definition here, the strong one in b.c. */
__attribute__((weak)) int maybe(int x) { return x; }

/* A packed struct passed by value after the six register parameters (on the stack). */
__attribute__((noinline)) long many_args(long a1, long a2, long a3, long a4, long a5, long a6, struct pk p)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + p.l + p.c;
}

/* A struct passed by value: registers follow their own rules. */
__attribute__((noinline)) long by_value(struct big b, long x) { return b.a + b.d + x; }

/* A per-CPU and a global variable. */
__attribute__((section(".data..percpu"))) int pcpu_counter = 1;
int global_counter = 2;

int use_a(int x)
{
    struct big b = { x, 2, 3, 4 }, c = { 5, x, 7, 8 };
    struct pk p = { 1, x };
    return helper(x) + scale(x, 7) + scale(x + 1, 7) + (int)first_field(&b) + (int)first_field(&c) + maybe(x)
        + (int)many_args(1, 2, 3, 4, 5, 6, p) + (int)by_value(b, x) + pcpu_counter + global_counter;
}
