// CO-RE against module BTF: `struct virtnet_info` exists only in the virtio_net module's BTF
// (split over vmlinux), `struct net_device` in vmlinux. The relocator searches vmlinux first and
// the modules only for roots vmlinux lacks, as libbpf does. Rebuilt by build.sh.
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32; typedef unsigned long long __u64;
typedef signed char __s8; typedef short __s16; typedef int __s32; typedef long long __s64;
typedef __u16 __be16; typedef __u32 __be32; typedef __u32 __wsum;
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __pai __attribute__((preserve_access_index))
struct net_device { int ifindex; unsigned int mtu; } __pai;
struct virtnet_info {
    struct net_device *dev;
    unsigned int status;
    unsigned short curr_queue_pairs;
    _Bool has_rss;
} __pai;
struct virtnet_info___gone { int no_such_field; } __pai;

SEC("socket")
int module_types(void *skb)
{
    struct virtnet_info *v = 0;
    long r = 0;
    r += __builtin_preserve_field_info(v->curr_queue_pairs, 0);   /* byte offset, in the module */
    r += __builtin_preserve_field_info(v->has_rss, 1);            /* byte size */
    r += __builtin_preserve_field_info(v->dev, 2);                /* exists */
    r += __builtin_preserve_field_info(((struct net_device *)0)->mtu, 0);   /* vmlinux */
    r += bpf_core_type_size(struct virtnet_info);
    r += bpf_core_type_exists(struct virtnet_info);
    r += bpf_core_field_exists(((struct virtnet_info___gone *)0)->no_such_field);
    return r & 0xffff;
}

char _license[] SEC("license") = "GPL";
