//! The server's integration tests, one binary: each file is a suite (`cargo test -p
//! convoroom-server --test suite snooze::` runs one). One binary instead of one per file keeps
//! `target/` 7 GB smaller and saves a link per suite.

mod common;
mod matrix;

mod access;
mod access_live;
mod access_logs;
mod access_matrix;
mod access_tokens;
mod after_conversation;
mod agents;
mod ai;
mod attribute_settings;
mod basics;
mod canned_responses;
mod conversation_actions;
mod conversations;
mod counts;
mod delivery;
mod delivery_restart;
mod demo_and_cors;
mod embed_identity;
mod events;
mod inbound_contacts;
mod labels;
mod large_sets;
mod messages;
mod notes;
mod notifications;
mod nul_text;
mod openapi;
mod pipeline_stages;
mod priority;
mod profile;
mod replicas;
mod search_index;
mod snooze;
mod teams;
mod tickets;
mod uploads;
