//! Optional persistence of the world to a JSON file (`--state FILE`).
//!
//! Loading: a missing file starts from the scenario; a file that cannot be read
//! or is not an emulator state stops start-up with an error naming it (it is
//! never overwritten).
//!
//! Writing: request handling takes a snapshot of the world and a sequence number
//! under the world's lock and hands both to [`Writer`], one thread that owns the
//! file. It writes only the newest snapshot it has (older ones still queued are
//! skipped) and never one older than what is on disk, so writes never go
//! backwards; the file I/O stays off the async workers. Each write goes to a
//! temporary file in the same directory, flushed and renamed over the target, so a
//! crash leaves either the old or the new file, never a torn one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::world::World;

/// The world in `path`: `Ok(None)` when there is no such file, an error naming the file
/// when it cannot be read or parsed.
pub fn load(path: &Path) -> Result<Option<World>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read the state file {}: {e}", path.display())),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        format!(
            "the state file {} is not an emulator state ({e}); not starting, so it is not overwritten (move it away or fix it)",
            path.display()
        )
    })
}

/// The single writer of one state file: a thread fed through a channel.
pub struct Writer {
    tx: Mutex<mpsc::Sender<(u64, Vec<u8>)>>,
    /// The sequence number of the snapshot last on disk (or given up on), for [`Writer::flush`].
    done: Arc<(Mutex<u64>, Condvar)>,
    /// The next sequence number to hand out; taken under the world's lock.
    next: Mutex<u64>,
}

impl Writer {
    pub fn new(path: PathBuf) -> Writer {
        let (tx, rx) = mpsc::channel::<(u64, Vec<u8>)>();
        let done = Arc::new((Mutex::new(0u64), Condvar::new()));
        let progress = done.clone();
        std::thread::Builder::new()
            .name("emulator-state-writer".into())
            .spawn(move || {
                let mut written = 0u64;
                while let Ok(first) = rx.recv() {
                    // Only the newest queued snapshot matters.
                    let (seq, bytes) = rx.try_iter().fold(first, |a, b| if b.0 > a.0 { b } else { a });
                    if seq > written {
                        if let Err(e) = write_atomically(&path, &bytes) {
                            eprintln!("could not write state file {}: {e}", path.display());
                        }
                        written = seq;
                    }
                    let (lock, cv) = &*progress;
                    *lock.lock().unwrap_or_else(|p| p.into_inner()) = written;
                    cv.notify_all();
                }
            })
            .expect("the state writer thread starts");
        Writer { tx: Mutex::new(tx), done, next: Mutex::new(0) }
    }

    /// Queues `world` (serialized now) to be written. Call with the world locked, so that
    /// sequence numbers follow the order of changes.
    pub fn submit(&self, world: &World) {
        let Ok(bytes) = serde_json::to_vec_pretty(world) else { return };
        let seq = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            *next += 1;
            *next
        };
        let _ = self.tx.lock().unwrap_or_else(|p| p.into_inner()).send((seq, bytes));
    }

    /// Waits (blocking, up to `timeout`) until everything submitted so far is on disk.
    pub fn flush(&self, timeout: Duration) -> bool {
        let target = *self.next.lock().unwrap_or_else(|p| p.into_inner());
        let (lock, cv) = &*self.done;
        let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = cv.wait_timeout_while(guard, timeout, |written| *written < target).unwrap_or_else(|p| p.into_inner());
        *guard >= target
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
