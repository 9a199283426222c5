//! Long-running operations (placeholder).
use crate::routes::Route;
use crate::world::World;
use crate::AppState;
pub fn routes() -> Vec<Route> { Vec::new() }
pub fn advance(_state: &AppState, _world: &mut World) {}
