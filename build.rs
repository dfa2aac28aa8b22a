//! Records the git commit the binary is built from, for `polku --version`.
//! Outside a git checkout (a crate download, a Docker build without .git)
//! the commit is "unknown"; `POLKU_COMMIT` overrides it.

fn main() {
    println!("cargo:rerun-if-env-changed=POLKU_COMMIT");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    let commit = std::env::var("POLKU_COMMIT").ok().or_else(|| {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|c| !c.is_empty())
    });
    println!(
        "cargo:rustc-env=POLKU_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
}
