//! Where a request may be served: the provider catalogue, country groups, and the OpenRouter
//! `provider` constraints computed from a policy.

pub mod catalog;
pub mod constraints;
pub mod regions;
