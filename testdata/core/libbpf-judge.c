// The libbpf judge for `btfkit core` (tests and bench/core-bench.sh).
//
//   libbpf-judge OBJ TARGET_BTF          relocate OBJ with libbpf against TARGET_BTF and print
//                                        libbpf's per-relocation debug lines ("LOG ...") and the
//                                        relocated instructions of every program ("INSN ...")
//   libbpf-judge OBJ TARGET_BTF --timing print how long libbpf took: parsing TARGET_BTF, and the
//                                        relocation itself (first to last CO-RE log call)
//
// libbpf relocates inside bpf_object__load(); a custom section handler for the object's program
// types captures the instructions in its prepare-load callback (after relocation, before the
// kernel sees them) and cancels, so nothing is loaded. Needs root (libbpf probes the kernel).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static struct bpf_object *obj;
static int timing, dumped;
static double first_relo = -1, last_relo = -1;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int core = strstr(fmt, "relo #") || strstr(fmt, "CO-RE relocating") || strstr(fmt, "CO-RE relocations");
	if (timing) {
		if (core) {
			double t = now();
			if (first_relo < 0)
				first_relo = t;
			last_relo = t;
		}
		return 0;
	}
	if (core) {
		printf("LOG ");
		vprintf(fmt, ap);
	} else if (level != LIBBPF_DEBUG) {
		vfprintf(stderr, fmt, ap);
	}
	return 0;
}

static int capture(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	struct bpf_program *p;
	if (dumped++ || timing)
		return -ECANCELED;
	bpf_object__for_each_program(p, obj) {
		const struct bpf_insn *in = bpf_program__insns(p);
		size_t n = bpf_program__insn_cnt(p);
		printf("PROG %s %s %zu\n", bpf_program__name(p), bpf_program__section_name(p), n);
		for (size_t i = 0; i < n; i++)
			printf("INSN %s %zu %u %u %u %d %d\n", bpf_program__name(p), i, in[i].code, in[i].dst_reg,
			       in[i].src_reg, in[i].off, in[i].imm);
	}
	fflush(stdout);
	return -ECANCELED;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OBJ TARGET_BTF [--timing]\n", argv[0]);
		return 2;
	}
	timing = argc > 3 && strcmp(argv[3], "--timing") == 0;
	LIBBPF_OPTS(libbpf_prog_handler_opts, hopts, .prog_prepare_load_fn = capture);
	static const struct { const char *sec; enum bpf_prog_type type; } handlers[] = {
		{ "socket", BPF_PROG_TYPE_SOCKET_FILTER },
		{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT },
		{ "raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT },
		{ "tp_btf/", BPF_PROG_TYPE_TRACING },
		{ "kprobe/", BPF_PROG_TYPE_KPROBE },
		{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT },
	};
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (libbpf_register_prog_handler(handlers[i].sec, handlers[i].type, 0, &hopts) < 0) {
			fprintf(stderr, "cannot register handler for %s\n", handlers[i].sec);
			return 2;
		}
	libbpf_set_print(print_fn);
	if (timing) {
		double t0 = now();
		struct btf *b = btf__parse(argv[2], NULL);
		double t1 = now();
		if (!b) {
			fprintf(stderr, "cannot parse %s\n", argv[2]);
			return 2;
		}
		btf__free(b);
		printf("parse %.6f\n", t1 - t0);
	}
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .btf_custom_path = argv[2]);
	double t_open = now();
	obj = bpf_object__open_file(argv[1], &oopts);
	if (!obj) {
		fprintf(stderr, "cannot open %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	double t_load = now();
	int err = bpf_object__load(obj);
	if (timing) {
		printf("open %.6f\n", t_load - t_open);
		printf("relocate %.6f\n", last_relo - first_relo);
		printf("load_to_last_relo %.6f\n", last_relo - t_load);
	}
	printf("RESULT %d\n", err);
	bpf_object__close(obj);
	return 0;
}
