//! Settings remembered in `localStorage`; a link's (`?net=`, `?backend=`, `?lang=`) come first.

use convscope::arch::Preset;

use super::i18n::Lang;
use super::share::LinkState;
use crate::protocol::BackendChoice;

const LANG_KEY: &str = "convscope.lang";
const PRESET_KEY: &str = "convscope.preset";
const BACKEND_KEY: &str = "convscope.backend";
pub const DEFAULT_PRESET: &str = "alexnet-lite";

pub struct Settings {
    pub lang: Lang,
    pub preset: &'static Preset,
    pub backend: BackendChoice,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn store(key: &str, value: &str) {
    if let Some(storage) = storage() {
        // Private browsing may refuse; the setting then lasts for this visit only.
        let _ = storage.set_item(key, value);
    }
}

fn browser_lang() -> Lang {
    let language = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    if language.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The settings: a link's first, then the stored ones, then the defaults.
pub fn load(link: &LinkState) -> Settings {
    let lang = link
        .lang
        .or_else(|| stored(LANG_KEY).and_then(|code| Lang::from_code(&code)))
        .unwrap_or_else(browser_lang);
    let preset = link
        .preset
        .or_else(|| stored(PRESET_KEY).and_then(|name| Preset::by_name(&name).ok()))
        .or_else(|| Preset::by_name(DEFAULT_PRESET).ok())
        .unwrap_or(&Preset::ALL[0]);
    let backend = link
        .backend
        .or_else(|| stored(BACKEND_KEY).and_then(|b| BackendChoice::from_name(&b)))
        .unwrap_or(BackendChoice::Auto);
    Settings {
        lang,
        preset,
        backend,
    }
}

pub fn save_lang(lang: Lang) {
    store(LANG_KEY, lang.code());
}

pub fn save_preset(preset: &Preset) {
    store(PRESET_KEY, preset.name);
}

pub fn save_backend(choice: BackendChoice) {
    store(BACKEND_KEY, &choice.name());
}
