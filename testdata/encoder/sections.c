/* Variables in three sections of one relocatable object: in a .o every section starts at
 * address 0, so d1 (.data+0), b1 (.bss+0) and r1 (.rodata+0) share an address. Each must still
 * get its own VAR in its own DATASEC (global_var). */
int d1 = 1;
int d2 = 2;
int b1;
int b2;
const int r1 = 3;
static int s_data = 4;
static int s_bss;

int use(void) { return d1 + d2 + b1 + b2 + r1 + s_data + s_bss; }
