/* pahole 1.31's function rules, unit B (see README in this folder). */
static __attribute__((noinline)) long helper(long a, long b) { return a * b + 3; }

/* The strong definition of maybe (a.c has a weak one). */
int maybe(int x) { return x + 1; }

int use_a(int x);

int use_b(long a) { return (int)helper(a, a + 1) + use_a((int)a); }

void _start(void)
{
    volatile int r = use_b(3);
    (void)r;
    __builtin_trap();
}
