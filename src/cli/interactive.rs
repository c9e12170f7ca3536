//! The interactive client behind `napterm` and `napterm demo`: the TUI on a connected client.

use std::io::IsTerminal;
use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedReceiver;

use super::{EXIT_USAGE, Failure};
use crate::app::keymap::Keymap;
use crate::app::state::Settings as AppSettings;
use crate::config::Settings;
use crate::onebot::{Client, ClientEvent};
use crate::runtime::history::HistoryOptions;
use crate::runtime::{Options, run_tui};
use crate::store::DataDir;
use crate::ui::theme::Theme;

/// Which session file to use: the real one, or the demo's own (so trying the demo never touches
/// the drafts of a real account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    Real,
    Demo,
}

/// Where the local history lives: `$XDG_DATA_HOME/napterm`, and for the demo a folder of its
/// own inside it (`demo/`), with its own record of the last account — the demo never opens a
/// real account's history, whatever number the simulated account has.
pub fn data_dir(session: Session) -> DataDir {
    let data = DataDir::standard();
    match session {
        Session::Real => data,
        Session::Demo => DataDir::at(data.root().join("demo")),
    }
}

/// The user's keymap file: `$XDG_CONFIG_HOME/napterm/keymap.toml`.
pub fn user_keymap_path() -> Option<PathBuf> {
    crate::config::default_config_path().map(|p| p.with_file_name("keymap.toml"))
}

/// The effective keymap: the shipped defaults with the user's file merged over them.
pub fn load_keymap() -> Result<Keymap, Failure> {
    let path = user_keymap_path();
    Keymap::load(path.as_deref(), &crate::app::commands::known)
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))
}

/// The app's settings from the configuration.
pub fn app_settings(settings: &Settings) -> AppSettings {
    AppSettings {
        timeline_capacity: settings.ui.timeline_capacity,
        history_page: settings.ui.history_page_size.max(1),
        sidebar_width: settings.ui.sidebar_width,
        history: settings.history.enabled,
        show_recalled: settings.history.show_recalled,
        send_typing: settings.privacy.send_typing,
        server_url: settings.url_for_display(),
        // Checked when the config was read.
        highlights: crate::app::notify::Highlights::parse(&settings.notify.highlight)
            .unwrap_or_default(),
        picture_mode: match settings.images.mode {
            crate::config::ImageMode::Inline => crate::app::pictures::Mode::Inline,
            crate::config::ImageMode::Placeholder => crate::app::pictures::Mode::Placeholder,
        },
        picture_rows: settings.images.max_rows,
        ..AppSettings::default()
    }
}

/// Runs the TUI until the user quits; the terminal is restored whatever happens.
pub async fn run(
    client: Client,
    events: UnboundedReceiver<ClientEvent>,
    settings: &Settings,
    session: Session,
) -> Result<(), Failure> {
    let session_kind = session;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        client.stop();
        return Err(Failure::new(
            EXIT_USAGE,
            "napterm needs a terminal (for scripts use `napterm call ACTION [JSON]`)",
        ));
    }
    let keymap = load_keymap()?;
    let dir = crate::logging::log_dir();
    // The demo keeps its own files: trying it never touches a real account's drafts or log.
    let (session, audit) = match session {
        Session::Real => ("session.json", crate::runtime::audit::FILE_NAME.to_string()),
        Session::Demo => (
            "demo-session.json",
            format!("demo-{}", crate::runtime::audit::FILE_NAME),
        ),
    };
    let history = settings.history.enabled.then(|| HistoryOptions {
        data: data_dir(session_kind),
        url: settings.url.clone(),
    });
    let opts = Options {
        settings: app_settings(settings),
        keymap,
        theme: Theme::build(settings.colors, &settings.theme),
        mouse: settings.ui.mouse,
        bell: settings.notify.bell,
        osc: settings.osc,
        session: Some(dir.join(session)),
        audit: Some(dir.join(audit)),
        history,
        warnings: settings.warnings.clone(),
        media: crate::runtime::picture::cache::standard_dir(session_kind == Session::Demo)
            .map(|d| (d, settings.images.cache_mb.saturating_mul(1024 * 1024))),
        transfers: crate::runtime::transfer::TransferOptions {
            download_dir: settings
                .files
                .download_dir
                .as_deref()
                .map(crate::runtime::transfer::expand_home)
                .unwrap_or_else(crate::runtime::transfer::default_download_dir),
            create_dir: settings.files.download_dir.is_none(),
            player: settings.media.player.clone(),
            limits: Default::default(),
            write_through: None,
        },
        image_protocol: settings.images.protocol,
    };
    run_tui(client, events, opts)
        .await
        .map_err(|e| Failure::new(EXIT_USAGE, format!("terminal error: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_keeps_its_history_apart_from_real_accounts() {
        let real = data_dir(Session::Real);
        let demo = data_dir(Session::Demo);
        assert_eq!(demo.root(), real.root().join("demo"));
        // Whatever number the simulated account has, its database is not a real account's,
        // and the demo's last account is remembered in its own file.
        assert_ne!(demo.db_path(10001), real.db_path(10001));
        assert!(
            !demo
                .root()
                .join(crate::store::ACCOUNTS_FILE_NAME)
                .starts_with(real.root().join(crate::store::ACCOUNTS_FILE_NAME))
        );
    }
}
