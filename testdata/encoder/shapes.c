/* Encoder fixture: C shapes that BTF must carry. Built by scripts/build-fixtures.sh with gcc and
 * clang at DWARF 4/5 and -O0/-O2; the tests also compile it fresh and compare with pahole. */
#include <stddef.h>
#include <stdarg.h>

#ifdef __clang__
#define TAG(x) __attribute__((btf_decl_tag(x)))
#define TTAG(x) __attribute__((btf_type_tag(x)))
#else
#define TAG(x)
#define TTAG(x)
#endif

typedef unsigned long long u64;
typedef u64 u64_alias;
typedef const volatile u64_alias cv_u64;

enum small { S_A = 0, S_B = 127, S_C = 128, S_D = 255 };
enum negative { N_MINUS = -5, N_ZERO = 0, N_BIG = 0x7fffffff };
enum wide_unsigned { W_LOW = 1, W_HIGH = 0xfedcba9876543210ULL };
enum wide_signed { WS_NEG = -0x100000000LL, WS_POS = 0x100000000LL };
enum packed_enum { P_X, P_Y } __attribute__((packed));

struct bits {
    unsigned a : 1;
    unsigned b : 7;
    unsigned c : 24;
    unsigned long long d : 40;
    signed e : 5;
    enum small f : 8;
    _Bool g : 1;
    unsigned : 0;
    unsigned h;
};

struct __attribute__((packed)) packed_one { char c; int i; short s; long long l; };
struct aligned_one { char c; int x __attribute__((aligned(16))); } __attribute__((aligned(32)));

struct with_anon {
    int kind;
    union {
        int as_int;
        float as_float;
        struct { short lo, hi; };
    };
    struct { char tag[3]; unsigned flag : 1; } inner;
};

struct flex { size_t n; int data[]; };
struct matrix { double m[2][3][4]; char name[16]; };

struct node;
typedef int (*visit_fn)(struct node *, void *ctx);
struct node {
    struct node *next, *prev;
    visit_fn visit;
    void (*cleanup)(struct node *);
    cv_u64 *counter;
    const char *restrict label;
    long double weight;
    __int128 big;
    unsigned __int128 ubig;
    _Bool live;
    char c; signed char sc; unsigned char uc;
    enum wide_unsigned w;
    enum packed_enum pe;
    struct bits bits;
};

struct tagged {
    int TAG("field_tag") tagged_field;
    int TTAG("user") *user_ptr;
} TAG("struct_tag");

struct opaque;                               /* never defined: a FWD */
union opaque_union;
struct uses_opaque { struct opaque *o; union opaque_union *u; };

__attribute__((section(".data..percpu"))) int percpu_counter;
__attribute__((section(".data..percpu"))) struct node percpu_node;
int global_plain = 7;
static int file_static;

__attribute__((noinline)) int visit_all(struct node *n, visit_fn fn, void *ctx) TAG("func_tag")
{
    int r = 0;
    for (; n; n = n->next) r += fn(n, ctx);
    return r + file_static;
}

__attribute__((noinline)) long sum_va(int count, ...)
{
    va_list ap;
    long s = 0;
    va_start(ap, count);
    for (int i = 0; i < count; i++) s += va_arg(ap, int);
    va_end(ap);
    return s;
}

__attribute__((noinline)) static int helper(struct with_anon *w) { return w->kind + w->as_int + w->inner.flag; }

int entry(struct node *n, struct with_anon *w, struct flex *f, struct matrix *m, struct packed_one *p,
          struct aligned_one *a, struct tagged *t, struct uses_opaque *u, enum negative neg,
          enum wide_signed ws)
{
    return visit_all(n, n->visit, w) + helper(w) + (int)f->n + (int)m->m[1][2][3] + p->i + a->x
        + *t->user_ptr + (u->o != 0) + neg + (int)ws + percpu_counter + global_plain + (int)sum_va(2, 1, 2);
}
