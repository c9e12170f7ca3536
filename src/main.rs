//! The `napterm` binary: everything lives in the library; see `napterm::cli`.

fn main() -> std::process::ExitCode {
    napterm::cli::main()
}
