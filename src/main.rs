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
    std::process::exit(dangjian::cli::run(std::env::args_os()));
}
