//! The workspace an agent signs in to: agents, teams, labels, pipeline stages and attribute
//! definitions, loaded once (`GET /workspace`) and shared by every feature through context.
//!
//! Provided by the signed-in shell and by the embedded panel; read with [`use_workspace`].

use convoroom_api as api;
use leptos::prelude::*;

/// The loaded workspace, shared as context.
#[derive(Clone, Copy)]
pub struct Workspace(RwSignal<api::Workspace>);

impl Workspace {
    /// Makes `data` the workspace of everything rendered below the caller.
    pub fn provide(data: api::Workspace) -> Workspace {
        let workspace = Workspace(RwSignal::new(data));
        provide_context(workspace);
        workspace
    }

    /// Reads the workspace, tracked (a view that calls it follows later changes).
    pub fn with<R>(&self, f: impl FnOnce(&api::Workspace) -> R) -> R {
        self.0.with(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&api::Workspace) -> R) -> R {
        self.0.with_untracked(f)
    }

    pub fn get(&self) -> api::Workspace {
        self.0.get()
    }

    pub fn get_untracked(&self) -> api::Workspace {
        self.0.get_untracked()
    }

    /// The signed-in agent's id.
    pub fn me(&self) -> String {
        self.0.with_untracked(|w| w.me.id.clone())
    }

    /// An agent's name, or `None` for an id the workspace does not know. Names are looked up
    /// untracked: callers render them once, as they were when the view was built.
    pub fn agent_name(&self, id: &str) -> Option<String> {
        self.0
            .with_untracked(|w| w.agents.iter().find(|a| a.id == id).map(|a| a.name.clone()))
    }

    /// Who did something: an agent's name, "the system" for no one, "agent 7" for an unknown id.
    pub fn actor_name(&self, id: Option<&str>) -> String {
        match id {
            None => "the system".into(),
            Some(id) => self.agent_name(id).unwrap_or_else(|| format!("agent {id}")),
        }
    }

    pub fn team_name(&self, id: &str) -> Option<String> {
        self.0
            .with_untracked(|w| w.teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
    }

    pub fn stage_name(&self, id: &str) -> Option<String> {
        self.0.with_untracked(|w| {
            w.pipeline_stages
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
        })
    }
}

/// The workspace of the signed-in agent (inside the shell or an embedded panel).
pub fn use_workspace() -> Workspace {
    expect_context::<Workspace>()
}
