//! The workspace an agent signs in to: agents, teams, labels, pipeline stages, attribute
//! definitions and dispositions, loaded once (`GET /workspace`), kept current by live events,
//! and shared by every feature through context.
//!
//! Provided by the signed-in shell and by the embedded panel; read with [`use_workspace`].

use crate::record::keep_newer;
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

    /// An agent's name as shown beside what they own: "(deactivated)" added for one who can
    /// no longer sign in, so their conversations are seen and reassigned.
    pub fn owner_label(&self, id: &str) -> Option<String> {
        self.0
            .with_untracked(|w| w.agents.iter().find(|a| a.id == id).map(owner_label))
    }

    /// An agent's own picture, if they chose one (tracked: it changes live).
    pub fn agent_picture(&self, id: &str) -> Option<String> {
        self.0.with(|w| {
            w.agents
                .iter()
                .find(|a| a.id == id)
                .and_then(|a| a.avatar_url.clone())
        })
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

    /// Replaces the dispositions (an admin's change, reloaded whole: a move renumbers others).
    pub fn set_dispositions(&self, all: Vec<api::Disposition>) {
        self.0.update(|w| w.dispositions = all);
    }

    /// Keeps a changed disposition in list order; an older version never replaces a newer.
    fn upsert_disposition(&self, disposition: api::Disposition) {
        self.0.update(|w| {
            match w.dispositions.iter_mut().find(|d| d.id == disposition.id) {
                Some(held) => {
                    keep_newer(held, disposition);
                }
                None => w.dispositions.push(disposition),
            }
            w.dispositions
                .sort_by_key(|d| (d.position, d.id.parse::<i64>().unwrap_or_default()));
        });
    }

    /// Keeps a changed team; newer version wins. Its members are the source of the agents'
    /// `team_ids` too, so both say the same.
    pub fn upsert_team(&self, team: api::Team) {
        self.0.update(|w| {
            let kept = match w.teams.iter_mut().find(|t| t.id == team.id) {
                Some(held) => keep_newer(held, team.clone()),
                None => {
                    w.teams.push(team.clone());
                    true
                }
            };
            if kept {
                for agent in &mut w.agents {
                    let member = team.member_ids.contains(&agent.id);
                    agent.team_ids.retain(|id| *id != team.id);
                    if member {
                        agent.team_ids.push(team.id.clone());
                        agent
                            .team_ids
                            .sort_by_key(|id| id.parse::<i64>().unwrap_or_default());
                    }
                }
            }
        });
    }

    /// Keeps an added or changed agent (their name, role, teams, whether active); the teams'
    /// member lists follow, so both say the same.
    pub fn upsert_agent(&self, agent: api::Agent) {
        self.0.update(|w| {
            if w.me.id == agent.id {
                w.me = agent.clone();
            }
            for team in &mut w.teams {
                team.member_ids.retain(|id| *id != agent.id);
                if agent.team_ids.contains(&team.id) {
                    team.member_ids.push(agent.id.clone());
                }
            }
            match w.agents.iter_mut().find(|a| a.id == agent.id) {
                Some(held) => *held = agent,
                None => w.agents.push(agent),
            }
        });
    }

    /// Every attribute definition, as an admin left them (editors and filters follow).
    pub fn set_attribute_definitions(&self, all: Vec<api::AttributeDefinition>) {
        self.0.maybe_update(|w| {
            let changed = w.attribute_definitions != all;
            w.attribute_definitions = all;
            changed
        });
    }

    pub fn set_stages(&self, all: Vec<api::PipelineStage>) {
        self.0.update(|w| w.pipeline_stages = all);
    }

    /// Keeps a changed pipeline stage (newer version wins), in list order.
    pub fn upsert_stage(&self, stage: api::PipelineStage) {
        self.0.update(|w| {
            match w.pipeline_stages.iter_mut().find(|s| s.id == stage.id) {
                Some(held) => {
                    keep_newer(held, stage);
                }
                None => w.pipeline_stages.push(stage),
            }
            w.pipeline_stages.sort_by_key(|s| s.position);
        });
    }

    /// The catalogue colour of a label (tracked: chips follow an admin's change), if it has a
    /// well-formed one.
    pub fn label_color(&self, name: &str) -> Option<String> {
        self.0.with(|w| {
            w.labels
                .iter()
                .find(|l| l.name == name)
                .filter(|l| api::is_hex_color(&l.color))
                .map(|l| l.color.clone())
        })
    }

    /// A label chip's `--label-color` (set through `style:`, which the CSP allows where a
    /// style attribute is not): its catalogue colour, shown as a dot before the name (tracked).
    /// Empty, which sets nothing, for a label without one.
    pub fn label_color_var(&self, name: &str) -> String {
        self.label_color(name).unwrap_or_default()
    }

    /// Keeps an added or changed label, the catalogue in name order.
    pub fn upsert_label(&self, label: api::Label) {
        self.0.update(|w| {
            match w.labels.iter_mut().find(|l| l.name == label.name) {
                Some(held) => *held = label,
                None => w.labels.push(label),
            }
            w.labels.sort_by(|a, b| a.name.cmp(&b.name));
        });
    }

    /// A label renamed (`label` under its new name) or, with `None`, deleted.
    pub fn replace_label(&self, from: &str, label: Option<api::Label>) {
        self.0.update(|w| {
            w.labels.retain(|l| l.name != from);
            if let Some(label) = label {
                w.labels.retain(|l| l.name != label.name);
                w.labels.push(label);
                w.labels.sort_by(|a, b| a.name.cmp(&b.name));
            }
        });
    }

    /// Whether an integration delivers the replies of `channel` (tracked).
    /// The signed-in agent's notification switches, as just saved.
    pub fn set_notification_prefs(&self, prefs: api::NotificationPrefs) {
        self.0.update(|w| w.notification_prefs = prefs);
    }

    pub fn delivers(&self, channel: api::Channel) -> bool {
        self.0.with(|w| w.delivered_channels.contains(&channel))
    }

    /// Which channels have an integration now (an admin added, changed or removed one).
    pub fn set_delivered_channels(&self, channels: Vec<api::Channel>) {
        self.0.maybe_update(|w| {
            let changed = w.delivered_channels != channels;
            w.delivered_channels = channels;
            changed
        });
    }

    /// Follows admins' changes to dispositions, teams, pipeline stages, labels and integrations
    /// in every open app.
    pub fn follow_live(&self, hub: crate::live::LiveHub) {
        let workspace = *self;
        let auth = crate::auth::use_auth();
        let client = auth.client();
        hub.subscribe(move |event| match &event.payload {
            api::EventPayload::DispositionSaved(d) => workspace.upsert_disposition(d.clone()),
            api::EventPayload::DispositionDeleted { id } => {
                workspace
                    .0
                    .update(|w| w.dispositions.retain(|d| &d.id != id));
            }
            api::EventPayload::TeamUpdated(team) => workspace.upsert_team(team.clone()),
            api::EventPayload::PipelineStageSaved(stage) => workspace.upsert_stage(stage.clone()),
            api::EventPayload::AgentSaved(agent) => {
                // One's own name, picture, role or teams changed in another browser or by an
                // admin: the top bar and the rules of the app follow.
                if auth
                    .agent
                    .with_untracked(|me| me.as_ref().is_some_and(|me| me.id == agent.id))
                {
                    auth.agent.set(Some(agent.clone()));
                }
                workspace.upsert_agent(agent.clone());
            }
            api::EventPayload::AttributeDefinitionsChanged(changed) => {
                workspace.set_attribute_definitions(changed.definitions.clone());
            }
            api::EventPayload::LabelSaved(label) => workspace.upsert_label(label.clone()),
            api::EventPayload::LabelRenamed { from, label } => {
                workspace.replace_label(from, Some(label.clone()));
            }
            api::EventPayload::LabelDeleted { name } => workspace.replace_label(name, None),
            api::EventPayload::IntegrationsChanged { delivered_channels } => {
                workspace.set_delivered_channels(delivered_channels.clone());
            }
            api::EventPayload::ResyncRequired => {
                // Events were missed: what admins changed meanwhile comes with a fresh copy.
                let client = client.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = client.workspace().await {
                        workspace.0.update(|w| {
                            w.teams = fresh.teams;
                            w.dispositions = fresh.dispositions;
                            w.pipeline_stages = fresh.pipeline_stages;
                            w.attribute_definitions = fresh.attribute_definitions;
                            w.labels = fresh.labels;
                            w.delivered_channels = fresh.delivered_channels;
                        });
                    }
                });
            }
            _ => {}
        });
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

/// An agent's name, with "(deactivated)" for one who can no longer sign in.
pub fn owner_label(agent: &api::Agent) -> String {
    if agent.active {
        agent.name.clone()
    } else {
        format!("{} (deactivated)", agent.name)
    }
}
