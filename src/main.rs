// Page rendering allocates and frees millions of small values on every thread; mimalloc's
// per-thread free lists make that markedly faster than glibc malloc and keep the peak lower.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Huge pages for the heap where the kernel offers them (transparent huge pages on
    // request): a province's model is gigabytes, and faulting it in 4 KiB at a time took a
    // third of `check`'s time. An explicit MIMALLOC_ALLOW_LARGE_OS_PAGES still wins.
    // SAFETY: sets one of mimalloc's documented options by its constant; no pointers.
    unsafe {
        libmimalloc_sys::mi_option_set_default(libmimalloc_sys::mi_option_large_os_pages, 1);
    }
    // Freed memory is kept for reuse, never handed back to the kernel while the process
    // runs (`mi_option_purge_delay` = -1; by default mimalloc hands back what stayed free
    // for a second). A 10,000-branch build handed back some 200 MB in 500 purges, and
    // faulted and zeroed it in again later: on this project's virtual machines, where
    // fresh memory is slow, that measured 0.3 to 0.5 s of kernel time. The process is
    // short: what it keeps goes back when it exits. MIMALLOC_PURGE_DELAY still wins.
    // SAFETY: as above; 15 is `mi_option_purge_delay` in mimalloc 3's mimalloc.h, which
    // libmimalloc-sys does not name.
    unsafe {
        const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1);
    }
    std::process::exit(dangjian::cli::run(std::env::args_os()));
}
