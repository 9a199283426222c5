//! Optional persistence of the world to a JSON file (`--state FILE`).
//!
//! Written to a temporary file in the same directory, flushed and renamed over
//! the target, so a crash leaves either the old or the new file, never a torn one.

use std::io::Write;
use std::path::Path;

use crate::state::AppState;
use crate::world::World;

pub fn load(path: &Path) -> Option<World> {
    let bytes = std::fs::read(path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("state file {} is unreadable ({e}); starting from the scenario", path.display());
            None
        }
    }
}

pub fn save(state: &AppState) {
    let Some(path) = state.state_file().cloned() else { return };
    let bytes = {
        let world = state.world();
        match serde_json::to_vec_pretty(&*world) {
            Ok(b) => b,
            Err(_) => return,
        }
    };
    if let Err(e) = write_atomically(&path, &bytes) {
        eprintln!("could not write state file {}: {e}", path.display());
    }
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state.json");
    let tmp = dir.join(format!(".{file_name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
