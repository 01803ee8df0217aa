//! Which endpoints of the catalogue a resolved policy lets serve a model, and why the others may
//! not: the facts behind `provider.only` and behind a denial that names its rule.

use std::collections::BTreeSet;

use serde::Serialize;

use super::catalog::{Catalog, Endpoint};
pub use crate::policy::slug_covers;
use crate::policy::{EndpointFacts, Reason, ResolvedProviders};

/// The countries an endpoint processes in, as the catalogue knows them (its region when the tag
/// pins one, else every datacenter of its provider), expanded; `None` when nothing is known, which
/// no residency rule accepts.
pub fn processing_countries(
    catalog: &Catalog,
    endpoint: &Endpoint,
) -> Option<BTreeSet<&'static str>> {
    let codes = catalog.processing_countries(endpoint)?;
    if codes.is_empty() {
        return None;
    }
    let mut all = BTreeSet::new();
    for code in codes {
        all.extend(super::regions::expand(code)?);
    }
    Some(all)
}

/// One endpoint a policy excludes, with the first rule that excludes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    pub tag: String,
    pub reason: Reason,
}

/// What the catalogue knows about an endpoint, in the terms the policy's rules ask about.
pub fn facts<'c>(catalog: &'c Catalog, endpoint: &'c Endpoint) -> EndpointFacts<'c> {
    let provider = catalog.provider(&endpoint.provider_slug);
    let data_policy = provider.and_then(|p| p.data_policy.as_ref());
    EndpointFacts {
        tag: &endpoint.tag,
        headquarters: provider.and_then(|p| p.headquarters.as_deref()),
        datacenters: catalog.processing_countries(endpoint),
        zdr: Some(endpoint.zdr),
        no_data_collection: data_policy.and_then(|d| match (d.training, d.retains_prompts) {
            (Some(false), Some(false)) => Some(true),
            (Some(true), _) | (_, Some(true)) => Some(false),
            _ => None,
        }),
    }
}

/// The endpoints of `model_id` that `rules` admit, and the exclusions of the others.
pub fn compliant_endpoints<'c>(
    catalog: &'c Catalog,
    model_id: &str,
    rules: &ResolvedProviders,
) -> (Vec<&'c Endpoint>, Vec<Exclusion>) {
    let mut admitted = Vec::new();
    let mut excluded = Vec::new();
    for endpoint in catalog.endpoints(model_id) {
        match rules.first_endpoint_violation(&facts(catalog, endpoint)) {
            None => admitted.push(endpoint),
            Some(reason) => excluded.push(Exclusion {
                tag: endpoint.tag.clone(),
                reason,
            }),
        }
    }
    (admitted, excluded)
}
