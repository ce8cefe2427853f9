//! The endpoints of the admins' Settings area: the dispositions list, the label catalogue, the
//! pipeline stages, the agents, the teams and their after-conversation requirements, the custom
//! attributes.

use super::{ApiClient, ApiResult, encode};
use convoroom_api as api;
use gloo_net::http::Method;

impl ApiClient {
    /// Every disposition, archived ones included, in list order.
    pub async fn dispositions(&self) -> ApiResult<Vec<api::Disposition>> {
        self.get("/dispositions").await
    }

    pub async fn create_disposition(&self, name: String) -> ApiResult<api::Disposition> {
        self.post("/dispositions", &api::CreateDisposition { name })
            .await
    }

    pub async fn update_disposition(
        &self,
        id: &str,
        version: i64,
        change: &api::UpdateDisposition,
    ) -> ApiResult<api::Disposition> {
        self.send(
            Method::PATCH,
            &format!("/dispositions/{}", encode(id)),
            Some(change),
            Some(version),
        )
        .await
    }

    pub async fn delete_disposition(&self, id: &str) -> ApiResult<()> {
        self.delete(&format!("/dispositions/{}", encode(id))).await
    }

    /// Adds a label to the catalogue (an existing name comes back as it is stored, with an
    /// admin's colour and description applied).
    pub async fn create_label(&self, label: &api::CreateLabel) -> ApiResult<api::Label> {
        self.post("/labels", label).await
    }

    /// Changes a label's colour or description, or renames it everywhere it is used.
    pub async fn update_label(
        &self,
        name: &str,
        change: &api::UpdateLabel,
    ) -> ApiResult<api::Label> {
        self.send(
            Method::PATCH,
            &format!("/labels/{}", encode(name)),
            Some(change),
            None,
        )
        .await
    }

    /// How many conversations, contacts and saved views hold a label.
    pub async fn label_usage(&self, name: &str) -> ApiResult<api::LabelUsage> {
        self.get(&format!("/labels/{}/usage", encode(name))).await
    }

    /// Deletes a label from the catalogue and from everything holding it.
    pub async fn delete_label(&self, name: &str) -> ApiResult<()> {
        self.delete(&format!("/labels/{}", encode(name))).await
    }

    /// Every pipeline stage, archived ones included, in list order.
    pub async fn pipeline_stages(&self) -> ApiResult<Vec<api::PipelineStage>> {
        self.get("/pipeline-stages").await
    }

    pub async fn create_pipeline_stage(&self, name: String) -> ApiResult<api::PipelineStage> {
        self.post("/pipeline-stages", &api::CreatePipelineStage { name })
            .await
    }

    pub async fn update_pipeline_stage(
        &self,
        id: &str,
        version: i64,
        change: &api::UpdatePipelineStage,
    ) -> ApiResult<api::PipelineStage> {
        self.send(
            Method::PATCH,
            &format!("/pipeline-stages/{}", encode(id)),
            Some(change),
            Some(version),
        )
        .await
    }

    pub async fn create_agent(
        &self,
        request: &api::CreateAgent,
    ) -> ApiResult<api::AgentWithPassword> {
        self.post("/agents", request).await
    }

    pub async fn update_agent(&self, id: &str, change: &api::UpdateAgent) -> ApiResult<api::Agent> {
        self.send(
            Method::PATCH,
            &format!("/agents/{}", encode(id)),
            Some(change),
            None,
        )
        .await
    }

    pub async fn reset_agent_password(&self, id: &str) -> ApiResult<api::AgentWithPassword> {
        self.post(&format!("/agents/{}/reset-password", encode(id)), &())
            .await
    }

    pub async fn create_team(&self, name: String) -> ApiResult<api::Team> {
        self.post(
            "/teams",
            &api::CreateTeam {
                name,
                member_ids: Vec::new(),
            },
        )
        .await
    }

    pub async fn update_team(
        &self,
        id: &str,
        version: i64,
        change: &api::UpdateTeam,
    ) -> ApiResult<api::Team> {
        self.send(
            Method::PATCH,
            &format!("/teams/{}", encode(id)),
            Some(change),
            Some(version),
        )
        .await
    }

    pub async fn set_team_rules(
        &self,
        team_id: &str,
        version: i64,
        rules: &api::AfterConversationRules,
    ) -> ApiResult<api::Team> {
        self.send(
            Method::PUT,
            &format!("/teams/{}/after-conversation", encode(team_id)),
            Some(rules),
            Some(version),
        )
        .await
    }

    /// Every attribute definition, contacts' then conversations', each in list order.
    pub async fn attribute_definitions(&self) -> ApiResult<Vec<api::AttributeDefinition>> {
        self.get("/attribute-definitions").await
    }

    pub async fn create_attribute_definition(
        &self,
        definition: &api::CreateAttributeDefinition,
    ) -> ApiResult<api::AttributeDefinition> {
        self.post("/attribute-definitions", definition).await
    }

    pub async fn update_attribute_definition(
        &self,
        definition: &api::AttributeDefinition,
        change: &api::UpdateAttributeDefinition,
    ) -> ApiResult<api::AttributeDefinition> {
        self.send(
            Method::PATCH,
            &definition_path(definition),
            Some(change),
            Some(definition.version),
        )
        .await
    }

    /// How many records hold a value of the definition (what deleting it removes).
    pub async fn attribute_usage(
        &self,
        definition: &api::AttributeDefinition,
    ) -> ApiResult<api::AttributeUsage> {
        self.get(&format!("{}/usage", definition_path(definition)))
            .await
    }

    pub async fn delete_attribute_definition(
        &self,
        definition: &api::AttributeDefinition,
    ) -> ApiResult<()> {
        self.delete(&definition_path(definition)).await
    }
}

fn definition_path(definition: &api::AttributeDefinition) -> String {
    let kind = match definition.applies_to {
        api::AttributeTarget::Contact => "contact",
        api::AttributeTarget::Conversation => "conversation",
    };
    format!("/attribute-definitions/{kind}/{}", encode(&definition.key))
}
