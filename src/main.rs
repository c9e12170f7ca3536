//! The `napterm` binary: everything lives in the library; see `napterm::cli`.

fn main() -> std::process::ExitCode {
    keep_heap_slack();
    napterm::cli::main()
}

/// glibc gives a thread's heap back as soon as more than 128 KiB at its top are free, and grows
/// it again a few pages at a time: the history's writer thread did both around every commit
/// under a flood (753 `mprotect` calls and their page faults for 1,000 messages; 21 with this).
/// Each heap keeps 4 MiB of slack at its top instead (about 1 MB more resident in the flood).
fn keep_heap_slack() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 4 << 20);
    }
}
