// Fuzzing seed for the printers: Rust names that are C keywords and GNU C macros.
// scripts/build-fixtures.sh compiles it and encodes c-keywords.btf.
#![no_std]
#![allow(non_camel_case_types, non_snake_case)]
pub struct int { pub signed: u8, pub int: u32, pub long: u64, pub default: u16, pub linux: u8, pub unix: u32,
                 pub r#typeof: u8, pub _Bool: u8, pub signed_: u32, pub bool: bool, pub va: *const u8 }
pub enum unsigned { volatile, register, linux }
pub struct linux { pub unix: unsigned, pub inner: int, pub f: Option<fn(u32, &int) -> i64> }
#[no_mangle]
pub extern "C" fn register(x: &linux) -> u32 { x.inner.int + x.inner.unix }
