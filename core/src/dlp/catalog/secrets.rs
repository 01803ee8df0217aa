//! Secrets and credentials: cloud keys, VCS and CI tokens, payment and chat keys, LLM provider keys,
//! private keys, JWTs, connection strings and passwords in assignments.
//!
//! Every pattern here was written from the providers' own descriptions of their token formats.
//! Prefixed tokens use their prefix as the trigger; keyword-bound values (a provider's name, a
//! `password=` assignment) are code matchers so that the reported span is the value alone.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};

use crate::dlp::checksum::shannon_entropy;
use crate::dlp::detector::{CodeHit, CodeMatcher, Matcher, Spec, Start, Validator};

/// Wraps a token pattern in ASCII half word boundaries. Triggered patterns run unanchored, so the
/// token must neither continue a word on the left nor be continued by one on the right; the half
/// boundaries also accept tokens that end in `-` or `=`.
macro_rules! tok {
    ($p:literal) => {
        concat!(r"(?-u:\b{start-half})", $p, r"(?-u:\b{end-half})")
    };
}

/// A prefixed token whose whole match is the secret; the trigger is its prefix.
const fn token(
    id: &'static str,
    category: &'static str,
    triggers: &'static [&'static str],
    pattern: &'static str,
    max_len: u16,
) -> Spec {
    token_with(id, category, triggers, 0, pattern, max_len, random_token)
}

const fn token_with(
    id: &'static str,
    category: &'static str,
    triggers: &'static [&'static str],
    before: u16,
    pattern: &'static str,
    max_len: u16,
    validate: Validator,
) -> Spec {
    Spec {
        validation: "entropy",
        confidence: 0.95,
        ..Spec::secret(
            id,
            category,
            Matcher::Triggered {
                triggers,
                // One byte before the trigger lets the start-half boundary see what precedes it.
                before: before + 1,
                pattern,
                max_len,
                validate: Some(validate),
            },
        )
    }
}

/// A value that only counts after a keyword (a provider's name, `password`, `Authorization`).
const fn keyed(
    id: &'static str,
    category: &'static str,
    triggers: &'static [&'static str],
    max_len: u16,
    find: CodeMatcher,
) -> Spec {
    Spec {
        validation: "context",
        confidence: 0.85,
        ..Spec::secret(
            id,
            category,
            Matcher::Code {
                triggers,
                max_len,
                find,
            },
        )
    }
}

const API_KEY: &str = "API_KEY";
const ACCESS_TOKEN: &str = "ACCESS_TOKEN";
const CLOUD: &str = "CLOUD_CREDENTIAL";
const PRIVATE_KEY: &str = "PRIVATE_KEY";
const CONNECTION_STRING: &str = "CONNECTION_STRING";
const WEBHOOK_URL: &str = "WEBHOOK_URL";
const PASSWORD: &str = "PASSWORD";
const OAUTH_SECRET: &str = "OAUTH_CLIENT_SECRET";

pub(super) static SPECS: &[Spec] = &[
    Spec {
        validation: "format",
        confidence: 0.99,
        ..Spec::secret(
            "openrouter_api_key",
            "API_KEY",
            Matcher::Triggered {
                triggers: &["sk-or-v1-"],
                before: 0,
                pattern: r"sk-or-v1-[0-9a-f]{64}",
                max_len: 73,
                validate: Some(random_token),
            },
        )
    },
    // ---- Cloud providers -------------------------------------------------------------------
    Spec {
        context: &["aws", "access key", "aws_access_key_id", "iam"],
        ..token(
            "aws_access_key_id",
            CLOUD,
            &["AKIA", "ASIA", "ABIA", "ACCA"],
            tok!("(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}"),
            24,
        )
    },
    Spec {
        confidence: 0.9,
        ..keyed(
            "aws_secret_access_key",
            CLOUD,
            &[
                "aws_secret",
                "secret_access_key",
                "secretaccesskey",
                "aws secret",
                "AKIA",
                "ASIA",
            ],
            240,
            find_aws_secret,
        )
    },
    token(
        "aws_session_token",
        CLOUD,
        &["FwoGZXIvYXdz", "IQoJb3JpZ2luX2Vj"],
        tok!("(?:FwoGZXIvYXdz|IQoJb3JpZ2luX2Vj)[A-Za-z0-9+/]{80,}={0,2}"),
        4096,
    ),
    token(
        "aws_bedrock_api_key",
        CLOUD,
        &["ABSKQmVkcm9ja0FQSUtleS", "bedrock-api-key-"],
        tok!("(?:ABSKQmVkcm9ja0FQSUtleS|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t)[A-Za-z0-9+/]{40,}={0,2}"),
        4096,
    ),
    Spec {
        context: &["google", "gcp", "gemini", "firebase", "maps"],
        ..token(
            "google_api_key",
            API_KEY,
            &["AIza"],
            tok!("AIza[0-9A-Za-z_-]{35}"),
            42,
        )
    },
    keyed(
        "gcp_service_account_key_id",
        CLOUD,
        &["private_key_id"],
        120,
        find_gcp_private_key_id,
    ),
    token(
        "gcp_oauth_client_secret",
        OAUTH_SECRET,
        &["GOCSPX-"],
        tok!("GOCSPX-[A-Za-z0-9_-]{28}"),
        38,
    ),
    token(
        "google_oauth_access_token",
        ACCESS_TOKEN,
        &["ya29."],
        tok!(r"ya29\.[A-Za-z0-9_-]{30,}"),
        2048,
    ),
    Spec {
        confidence: 0.9,
        ..token(
            "google_oauth_refresh_token",
            ACCESS_TOKEN,
            &["1//0"],
            tok!("1//0[A-Za-z0-9_-]{40,}"),
            512,
        )
    },
    Spec {
        confidence: 0.95,
        ..keyed(
            "azure_storage_account_key",
            CLOUD,
            &["accountkey", "account_key", "storage_key", "storagekey"],
            180,
            find_azure_storage_key,
        )
    },
    Spec {
        confidence: 0.9,
        ..keyed("azure_sas_token", CLOUD, &["sig="], 600, find_azure_sas)
    },
    Spec {
        confidence: 0.9,
        context: &["azure", "entra", "client_secret", "tenant", "aad"],
        ..token_with(
            "azure_ad_client_secret",
            OAUTH_SECRET,
            &["Q~"],
            4,
            tok!(r"[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"),
            46,
            random_token,
        )
    },
    Spec {
        confidence: 0.95,
        ..keyed(
            "azure_shared_access_key",
            CLOUD,
            &["sharedaccesskey"],
            120,
            find_azure_shared_access_key,
        )
    },
    keyed(
        "azure_devops_pat",
        ACCESS_TOKEN,
        &["devops", "ado_pat", "ado_token", "azdo", "system_accesstoken"],
        160,
        find_azure_devops_pat,
    ),
    keyed(
        "azure_apim_subscription_key",
        API_KEY,
        &["subscription-key", "subscription_key"],
        120,
        find_azure_apim_key,
    ),
    keyed(
        "azure_openai_key",
        API_KEY,
        &["azure_openai", "azure-openai", "azureopenai", "azure openai", "cognitive"],
        160,
        find_azure_openai_key,
    ),
    Spec {
        confidence: 0.9,
        context: &["alibaba", "aliyun", "alicloud", "accesskeyid"],
        ..token(
            "alibaba_access_key_id",
            CLOUD,
            &["LTAI"],
            tok!("LTAI[A-Za-z0-9]{12,20}"),
            26,
        )
    },
    keyed(
        "alibaba_access_key_secret",
        CLOUD,
        &["alibaba", "aliyun", "alicloud", "access_key_secret", "accesskeysecret"],
        120,
        find_alibaba_secret,
    ),
    Spec {
        confidence: 0.9,
        context: &["tencent", "tencentcloud", "secretid", "qcloud"],
        ..token(
            "tencent_cloud_secret_id",
            CLOUD,
            &["AKID"],
            tok!("AKID[A-Za-z0-9]{32}"),
            38,
        )
    },
    token(
        "digitalocean_pat",
        ACCESS_TOKEN,
        &["dop_v1_"],
        tok!("dop_v1_[a-f0-9]{64}"),
        73,
    ),
    token(
        "digitalocean_oauth_token",
        ACCESS_TOKEN,
        &["doo_v1_"],
        tok!("doo_v1_[a-f0-9]{64}"),
        73,
    ),
    token(
        "digitalocean_refresh_token",
        ACCESS_TOKEN,
        &["dor_v1_"],
        tok!("dor_v1_[a-f0-9]{64}"),
        73,
    ),
    keyed(
        "ibm_cloud_api_key",
        CLOUD,
        &["ibm"],
        140,
        find_ibm_cloud_key,
    ),
    token(
        "heroku_api_key",
        API_KEY,
        &["HRKU-"],
        tok!("HRKU-[A-Za-z0-9_-]{40,80}"),
        88,
    ),
    keyed(
        "heroku_api_key_legacy",
        API_KEY,
        &["heroku"],
        140,
        find_heroku_legacy,
    ),
    keyed(
        "cloudflare_api_token",
        API_KEY,
        &["cloudflare", "cf_api_token", "cf_token"],
        140,
        find_cloudflare_token,
    ),
    keyed(
        "cloudflare_global_api_key",
        API_KEY,
        &["cloudflare", "cf_api_key", "x-auth-key"],
        140,
        find_cloudflare_global_key,
    ),
    token(
        "cloudflare_origin_ca_key",
        API_KEY,
        &["v1.0-"],
        tok!(r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}"),
        180,
    ),
    token(
        "yandex_api_key",
        CLOUD,
        &["AQVN"],
        tok!("AQVN[A-Za-z0-9_-]{35,38}"),
        44,
    ),
    token(
        "yandex_iam_token",
        CLOUD,
        &["t1.9eu"],
        tok!(r"t1\.9eu[A-Za-z0-9_-]{50,}={0,2}\.[A-Za-z0-9_-]{80,}={0,2}"),
        1024,
    ),
    // ---- Source control, CI, registries, infrastructure ----------------------------------
    token(
        "github_pat",
        ACCESS_TOKEN,
        &["ghp_"],
        tok!("ghp_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "github_oauth_token",
        ACCESS_TOKEN,
        &["gho_"],
        tok!("gho_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "github_user_token",
        ACCESS_TOKEN,
        &["ghu_"],
        tok!("ghu_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "github_app_token",
        ACCESS_TOKEN,
        &["ghs_"],
        tok!("ghs_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "github_refresh_token",
        ACCESS_TOKEN,
        &["ghr_"],
        tok!("ghr_[A-Za-z0-9]{36,76}"),
        82,
    ),
    token(
        "github_fine_grained_pat",
        ACCESS_TOKEN,
        &["github_pat_"],
        tok!("github_pat_[A-Za-z0-9]{20,30}_[A-Za-z0-9]{50,70}"),
        115,
    ),
    keyed(
        "github_oauth_client_secret",
        OAUTH_SECRET,
        &["github"],
        140,
        find_github_client_secret,
    ),
    token(
        "gitlab_pat",
        ACCESS_TOKEN,
        &["glpat-"],
        tok!(r"glpat-[A-Za-z0-9_-]{20,200}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?"),
        230,
    ),
    token(
        "gitlab_deploy_token",
        ACCESS_TOKEN,
        &["gldt-"],
        tok!("gldt-[A-Za-z0-9_-]{20,100}"),
        110,
    ),
    token(
        "gitlab_runner_token",
        ACCESS_TOKEN,
        &["glrt-"],
        tok!(r"glrt-[A-Za-z0-9_-]{20,200}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?"),
        230,
    ),
    token(
        "gitlab_runner_registration_token",
        ACCESS_TOKEN,
        &["GR1348941"],
        tok!("GR1348941[A-Za-z0-9_-]{20}"),
        32,
    ),
    token(
        "gitlab_cicd_job_token",
        ACCESS_TOKEN,
        &["glcbt-"],
        tok!("glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}"),
        36,
    ),
    token(
        "gitlab_feed_token",
        ACCESS_TOKEN,
        &["glft-"],
        tok!("glft-[A-Za-z0-9_-]{20}"),
        28,
    ),
    token(
        "gitlab_incoming_mail_token",
        ACCESS_TOKEN,
        &["glimt-"],
        tok!("glimt-[A-Za-z0-9_-]{25}"),
        34,
    ),
    token(
        "gitlab_agent_token",
        ACCESS_TOKEN,
        &["glagent-"],
        tok!("glagent-[A-Za-z0-9_-]{50}"),
        60,
    ),
    token(
        "gitlab_oauth_app_secret",
        OAUTH_SECRET,
        &["gloas-"],
        tok!("gloas-[A-Za-z0-9_-]{64}"),
        72,
    ),
    token(
        "gitlab_scim_token",
        ACCESS_TOKEN,
        &["glsoat-"],
        tok!("glsoat-[A-Za-z0-9_-]{20}"),
        30,
    ),
    token(
        "gitlab_feature_flag_token",
        ACCESS_TOKEN,
        &["glffct-"],
        tok!("glffct-[A-Za-z0-9_-]{20}"),
        30,
    ),
    token(
        "gitlab_pipeline_trigger_token",
        ACCESS_TOKEN,
        &["glptt-"],
        tok!("glptt-[a-f0-9]{40}"),
        48,
    ),
    keyed(
        "gitlab_session_cookie",
        ACCESS_TOKEN,
        &["_gitlab_session"],
        80,
        find_gitlab_session,
    ),
    token(
        "bitbucket_app_password",
        PASSWORD,
        &["ATBB"],
        tok!("ATBB[A-Za-z0-9_=.-]{28,64}"),
        70,
    ),
    token(
        "bitbucket_access_token",
        ACCESS_TOKEN,
        &["ATCTT3"],
        tok!("ATCTT3[A-Za-z0-9_=-]{100,}"),
        320,
    ),
    token(
        "atlassian_api_token",
        API_KEY,
        &["ATATT3"],
        tok!("ATATT3[A-Za-z0-9_=-]{100,}"),
        320,
    ),
    token(
        "circleci_token",
        ACCESS_TOKEN,
        &["CCIPAT_", "CCIPRJ_"],
        tok!("CCIP(?:AT|RJ)_[A-Za-z0-9]{20,26}_[a-f0-9]{40}"),
        80,
    ),
    token(
        "sourcegraph_token",
        ACCESS_TOKEN,
        &["sgp_"],
        tok!("sgp_(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40}"),
        68,
    ),
    token_with(
        "terraform_cloud_token",
        API_KEY,
        &[".atlasv1."],
        14,
        tok!(r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}"),
        96,
        random_token,
    ),
    token(
        "vault_service_token",
        ACCESS_TOKEN,
        &["hvs."],
        tok!(r"hvs\.[A-Za-z0-9_-]{24,}"),
        256,
    ),
    token(
        "vault_batch_token",
        ACCESS_TOKEN,
        &["hvb."],
        tok!(r"hvb\.[A-Za-z0-9_-]{24,}"),
        512,
    ),
    token(
        "doppler_token",
        ACCESS_TOKEN,
        &["dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."],
        tok!(r"dp\.(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{1,30}\.)?[A-Za-z0-9]{40,44}"),
        96,
    ),
    token(
        "pulumi_access_token",
        ACCESS_TOKEN,
        &["pul-"],
        tok!("pul-[a-f0-9]{40}"),
        46,
    ),
    token(
        "npm_access_token",
        ACCESS_TOKEN,
        &["npm_"],
        tok!("npm_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "pypi_upload_token",
        API_KEY,
        &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
        tok!("pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}"),
        1024,
    ),
    token(
        "rubygems_api_key",
        API_KEY,
        &["rubygems_"],
        tok!("rubygems_[a-f0-9]{48}"),
        60,
    ),
    Spec {
        confidence: 0.85,
        context: &["nuget", "apikey", "api key"],
        ..token(
            "nuget_api_key",
            API_KEY,
            &["oy2"],
            tok!("oy2[a-z0-9]{43}"),
            48,
        )
    },
    Spec {
        confidence: 0.85,
        context: &["cargo", "crates", "crates.io", "registry"],
        ..token(
            "crates_io_token",
            API_KEY,
            &["cio"],
            tok!("cio[A-Za-z0-9]{32}"),
            37,
        )
    },
    token(
        "docker_hub_pat",
        ACCESS_TOKEN,
        &["dckr_pat_", "dckr_oat_"],
        tok!("dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,100}"),
        112,
    ),
    token(
        "clojars_token",
        API_KEY,
        &["CLOJARS_"],
        tok!("CLOJARS_[a-z0-9]{60}"),
        70,
    ),
    token(
        "jfrog_api_key",
        API_KEY,
        &["AKCp"],
        tok!("AKCp[A-Za-z0-9]{69}"),
        76,
    ),
    token(
        "jfrog_reference_token",
        ACCESS_TOKEN,
        &["cmVmdGtuOjAxOj"],
        tok!("cmVmdGtuOjAxOj[A-Za-z0-9]{50,}"),
        128,
    ),
    token(
        "sonarqube_user_token",
        ACCESS_TOKEN,
        &["squ_"],
        tok!("squ_[a-f0-9]{40}"),
        46,
    ),
    token(
        "sonarqube_project_token",
        ACCESS_TOKEN,
        &["sqp_"],
        tok!("sqp_[a-f0-9]{40}"),
        46,
    ),
    token(
        "sonarqube_global_token",
        ACCESS_TOKEN,
        &["sqa_"],
        tok!("sqa_[a-f0-9]{40}"),
        46,
    ),
    keyed(
        "snyk_api_token",
        API_KEY,
        &["snyk"],
        120,
        find_snyk_token,
    ),
    Spec {
        confidence: 0.85,
        context: &["octopus", "octopus deploy", "x-octopus-apikey"],
        ..token(
            "octopus_deploy_api_key",
            API_KEY,
            &["API-"],
            tok!("API-[A-Z0-9]{26,32}"),
            38,
        )
    },
    token(
        "prefect_api_key",
        API_KEY,
        &["pnu_"],
        tok!("pnu_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "harness_token",
        ACCESS_TOKEN,
        &["pat.", "sat."],
        tok!(r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20}"),
        76,
    ),
    token(
        "dynatrace_token",
        ACCESS_TOKEN,
        &["dt0c01."],
        tok!(r"dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}"),
        100,
    ),
    token(
        "infracost_api_key",
        API_KEY,
        &["ico-"],
        tok!("ico-[A-Za-z0-9]{32}"),
        38,
    ),
    // ---- Payments and commerce -----------------------------------------------------------
    Spec {
        confidence: 0.97,
        ..token(
            "stripe_secret_key",
            API_KEY,
            &["sk_live_"],
            tok!("sk_live_[A-Za-z0-9]{24,247}"),
            260,
        )
    },
    Spec {
        confidence: 0.85,
        ..token(
            "stripe_test_secret_key",
            API_KEY,
            &["sk_test_"],
            tok!("sk_test_[A-Za-z0-9]{24,247}"),
            260,
        )
    },
    token(
        "stripe_restricted_key",
        API_KEY,
        &["rk_live_", "rk_test_"],
        tok!("rk_(?:live|test)_[A-Za-z0-9]{24,247}"),
        260,
    ),
    token(
        "stripe_webhook_secret",
        API_KEY,
        &["whsec_"],
        tok!("whsec_[A-Za-z0-9+/]{32,}={0,2}"),
        128,
    ),
    token(
        "square_access_token",
        ACCESS_TOKEN,
        &["sq0atp-", "EAAA"],
        tok!("(?:sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_+=-]{60})"),
        66,
    ),
    token(
        "square_oauth_secret",
        OAUTH_SECRET,
        &["sq0csp-"],
        tok!("sq0csp-[A-Za-z0-9_-]{43}"),
        52,
    ),
    token(
        "braintree_access_token",
        ACCESS_TOKEN,
        &["access_token$"],
        tok!(r"access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}"),
        80,
    ),
    keyed(
        "adyen_api_key",
        API_KEY,
        &["adyen"],
        400,
        find_adyen_key,
    ),
    token(
        "flutterwave_secret_key",
        API_KEY,
        &["FLWSECK"],
        tok!("FLWSECK(?:_TEST)?-[a-fA-F0-9]{32}-X"),
        50,
    ),
    token(
        "plaid_access_token",
        ACCESS_TOKEN,
        &["access-sandbox-", "access-development-", "access-production-"],
        tok!("access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        60,
    ),
    token(
        "shopify_access_token",
        ACCESS_TOKEN,
        &["shpat_"],
        tok!("shpat_[a-fA-F0-9]{32}"),
        40,
    ),
    token(
        "shopify_shared_secret",
        OAUTH_SECRET,
        &["shpss_"],
        tok!("shpss_[a-fA-F0-9]{32}"),
        40,
    ),
    token(
        "shopify_custom_app_token",
        ACCESS_TOKEN,
        &["shpca_"],
        tok!("shpca_[a-fA-F0-9]{32}"),
        40,
    ),
    token(
        "shopify_private_app_password",
        PASSWORD,
        &["shppa_"],
        tok!("shppa_[a-fA-F0-9]{32}"),
        40,
    ),
    token(
        "easypost_api_key",
        API_KEY,
        &["EZAK", "EZTK"],
        tok!("EZ[AT]K[A-Za-z0-9]{54}"),
        60,
    ),
    token(
        "shippo_api_token",
        API_KEY,
        &["shippo_live_", "shippo_test_"],
        tok!("shippo_(?:live|test)_[a-f0-9]{40}"),
        54,
    ),
    token(
        "duffel_api_token",
        API_KEY,
        &["duffel_live_", "duffel_test_"],
        tok!("duffel_(?:live|test)_[A-Za-z0-9_=-]{43}"),
        58,
    ),
    // ---- Chat, e-mail and webhooks -------------------------------------------------------
    token(
        "slack_bot_token",
        ACCESS_TOKEN,
        &["xoxb-"],
        tok!("xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{24,34}"),
        72,
    ),
    token(
        "slack_user_token",
        ACCESS_TOKEN,
        &["xoxp-"],
        tok!("xoxp-(?:[0-9]{8,14}-){1,3}[A-Za-z0-9]{24,64}"),
        84,
    ),
    token(
        "slack_legacy_token",
        ACCESS_TOKEN,
        &["xoxa-", "xoxo-", "xoxs-", "xoxr-"],
        tok!("xox[aors]-[0-9]{1,14}-[0-9A-Za-z-]{20,200}"),
        224,
    ),
    token(
        "slack_config_token",
        ACCESS_TOKEN,
        &["xoxe.xox", "xoxe-1-"],
        tok!(r"(?:xoxe\.xox[bp]-1-[A-Za-z0-9]{100,}|xoxe-1-[A-Za-z0-9-]{100,})"),
        400,
    ),
    token(
        "slack_app_token",
        ACCESS_TOKEN,
        &["xapp-"],
        tok!("xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,14}-[a-f0-9]{64}"),
        100,
    ),
    token_with(
        "slack_webhook_url",
        WEBHOOK_URL,
        &["hooks.slack.com/"],
        8,
        tok!(r"https?://hooks\.slack\.com/(?:services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32}|(?:workflows|triggers)/T[A-Z0-9]{6,12}/A[A-Z0-9]{6,12}/[0-9]{6,20}/[a-f0-9]{32})"),
        140,
        webhook_url,
    ),
    Spec {
        validation: "base64-snowflake",
        context: &["discord", "bot", "token"],
        ..Spec::secret(
            "discord_bot_token",
            ACCESS_TOKEN,
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (24, 28),
                pattern: r"[MNO][A-Za-z0-9]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}",
                max_len: 80,
                validate: Some(discord_bot_token),
            },
        )
    },
    token_with(
        "discord_webhook_url",
        WEBHOOK_URL,
        &["discord.com/api", "discordapp.com/api"],
        22,
        tok!(r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api(?:/v[0-9]{1,2})?/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,70}"),
        170,
        webhook_url,
    ),
    token_with(
        "teams_webhook_url",
        WEBHOOK_URL,
        &["webhook.office.com/", "outlook.office.com/webhook"],
        60,
        tok!(r"https://(?:[A-Za-z0-9-]{1,48}\.webhook\.office\.com/webhookb2|outlook\.office\.com/webhook)/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:/[A-Za-z0-9_-]{20,80})?"),
        400,
        webhook_url,
    ),
    token_with(
        "power_automate_webhook_url",
        WEBHOOK_URL,
        &["logic.azure.com"],
        70,
        tok!(r"https://[A-Za-z0-9.-]{1,60}\.logic\.azure\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_.-]{1,40}/paths/invoke\?[A-Za-z0-9_.%&=/-]{0,300}?sig=[A-Za-z0-9_%-]{20,}"),
        600,
        webhook_url,
    ),
    Spec {
        // The URL embeds a whole Google API key; the webhook is the larger secret.
        confidence: 1.0,
        ..token_with(
        "google_chat_webhook_url",
        WEBHOOK_URL,
        &["chat.googleapis.com/"],
        8,
        tok!(r"https://chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]{6,30}/messages\?key=AIza[0-9A-Za-z_-]{35}&token=[A-Za-z0-9_%=-]{20,}"),
        400,
        webhook_url,
    )
    },
    Spec {
        confidence: 0.85,
        ..token_with(
            "zapier_webhook_url",
            WEBHOOK_URL,
            &["hooks.zapier.com/"],
            8,
            tok!(r"https://hooks\.zapier\.com/hooks/catch/[0-9]{4,12}/[A-Za-z0-9]{4,12}/?"),
            80,
            webhook_url,
        )
    },
    Spec {
        context: &["telegram", "bot", "botfather"],
        ..token_with(
            "telegram_bot_token",
            ACCESS_TOKEN,
            &[":AA"],
            10,
            tok!("[0-9]{8,10}:AA[A-Za-z0-9_-]{33}"),
            48,
            random_token,
        )
    },
    Spec {
        validation: "entropy",
        confidence: 0.8,
        context: &["twilio", "api key", "api_key", "sid"],
        ..Spec::secret(
            "twilio_api_key",
            API_KEY,
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (34, 34),
                pattern: "SK[0-9a-f]{32}",
                max_len: 34,
                validate: Some(hex_body_after_two),
            },
        )
    },
    Spec {
        validation: "context",
        confidence: 0.7,
        context: &["twilio", "account_sid", "accountsid", "account sid", "twilio_account_sid"],
        context_required: true,
        ..Spec::secret(
            "twilio_account_sid",
            API_KEY,
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (34, 34),
                pattern: "AC[0-9a-f]{32}",
                max_len: 34,
                validate: Some(hex_body_after_two),
            },
        )
    },
    keyed(
        "twilio_auth_token",
        ACCESS_TOKEN,
        &["twilio"],
        120,
        find_twilio_auth_token,
    ),
    token(
        "sendgrid_api_key",
        API_KEY,
        &["SG."],
        tok!(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        72,
    ),
    Spec {
        confidence: 0.85,
        context: &["mailgun", "api", "smtp"],
        ..token(
            "mailgun_api_key",
            API_KEY,
            &["key-"],
            tok!("key-[0-9a-f]{32}"),
            38,
        )
    },
    Spec {
        confidence: 0.9,
        context: &["mailchimp", "mandrill", "api"],
        ..token_with(
            "mailchimp_api_key",
            API_KEY,
            &["-us"],
            32,
            tok!("[0-9a-f]{32}-us[0-9]{1,2}"),
            40,
            random_token,
        )
    },
    token(
        "brevo_api_key",
        API_KEY,
        &["xkeysib-", "xsmtpsib-"],
        tok!("x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}"),
        96,
    ),
    keyed(
        "slack_signing_secret",
        API_KEY,
        &["slack"],
        120,
        find_slack_signing_secret,
    ),
    keyed(
        "facebook_app_secret",
        OAUTH_SECRET,
        &["facebook", "fb_app", "fb_secret", "fb_client"],
        120,
        find_facebook_app_secret,
    ),
    Spec {
        confidence: 0.85,
        context: &["facebook", "graph", "meta", "access_token", "instagram"],
        ..token(
            "facebook_access_token",
            ACCESS_TOKEN,
            &["EAA"],
            tok!("EAA[A-Za-z0-9]{90,}"),
            512,
        )
    },
    token_with(
        "twitter_bearer_token",
        ACCESS_TOKEN,
        &["AAAAAAAAAAAAAAAAAAAA"],
        4,
        tok!("A{20,24}[A-Za-z0-9%]{60,140}"),
        180,
        twitter_bearer,
    ),
    // ---- LLM and AI providers ------------------------------------------------------------
    token(
        "openai_project_key",
        API_KEY,
        &["sk-proj-"],
        tok!("sk-proj-[A-Za-z0-9_-]{20,}"),
        300,
    ),
    token(
        "openai_service_account_key",
        API_KEY,
        &["sk-svcacct-"],
        tok!("sk-svcacct-[A-Za-z0-9_-]{20,}"),
        300,
    ),
    token(
        "openai_admin_key",
        API_KEY,
        &["sk-admin-"],
        tok!("sk-admin-[A-Za-z0-9_-]{20,}"),
        300,
    ),
    token_with(
        "openai_legacy_key",
        API_KEY,
        &["T3BlbkFJ"],
        23,
        tok!("sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
        54,
        random_token,
    ),
    // `sk-` with 48 alphanumerics (the long-standing OpenAI shape, also used by several other
    // providers) or 32 hex digits (DeepSeek and other OpenAI-compatible APIs). The short prefix
    // also starts words (`task-`, `risk-`), so the body must look random.
    Spec {
        confidence: 0.8,
        context: &["openai"],
        ..token_with(
            "openai_style_api_key",
            API_KEY,
            &["sk-"],
            0,
            tok!("sk-(?:[A-Za-z0-9]{48}|[a-f0-9]{32})"),
            52,
            sk_body,
        )
    },
    token(
        "anthropic_api_key",
        API_KEY,
        &["sk-ant-api03-"],
        tok!("sk-ant-api03-[A-Za-z0-9_-]{32,200}"),
        140,
    ),
    token(
        "anthropic_admin_key",
        API_KEY,
        &["sk-ant-admin01-"],
        tok!("sk-ant-admin01-[A-Za-z0-9_-]{32,200}"),
        140,
    ),
    token(
        "anthropic_oauth_token",
        ACCESS_TOKEN,
        &["sk-ant-oat01-", "sk-ant-ort01-"],
        tok!("sk-ant-o[ar]t01-[A-Za-z0-9_-]{32,200}"),
        140,
    ),
    token(
        "huggingface_token",
        ACCESS_TOKEN,
        &["hf_"],
        tok!("hf_[A-Za-z0-9]{30,40}"),
        40,
    ),
    token(
        "huggingface_org_token",
        API_KEY,
        &["api_org_"],
        tok!("api_org_[A-Za-z0-9]{34}"),
        46,
    ),
    keyed(
        "cohere_api_key",
        API_KEY,
        &["cohere", "co_api_key"],
        120,
        find_cohere_key,
    ),
    token(
        "groq_api_key",
        API_KEY,
        &["gsk_"],
        tok!("gsk_[A-Za-z0-9]{48,56}"),
        58,
    ),
    token(
        "replicate_api_token",
        API_KEY,
        &["r8_"],
        tok!("r8_[A-Za-z0-9]{30,45}"),
        42,
    ),
    token(
        "perplexity_api_key",
        API_KEY,
        &["pplx-"],
        tok!("pplx-[A-Za-z0-9]{40,56}"),
        64,
    ),
    keyed(
        "mistral_api_key",
        API_KEY,
        &["mistral"],
        120,
        find_mistral_key,
    ),
    token(
        "xai_api_key",
        API_KEY,
        &["xai-"],
        tok!("xai-[A-Za-z0-9]{70,90}"),
        96,
    ),
    Spec {
        confidence: 0.9,
        ..keyed(
            "deepseek_api_key",
            API_KEY,
            &["deepseek"],
            120,
            find_deepseek_key,
        )
    },
    token(
        "together_api_key",
        API_KEY,
        &["tgp_v1_"],
        tok!("tgp_v1_[A-Za-z0-9_-]{40,50}"),
        60,
    ),
    keyed(
        "together_api_key_legacy",
        API_KEY,
        &["together"],
        140,
        find_together_legacy,
    ),
    Spec {
        confidence: 0.85,
        context: &["fireworks", "fireworks_api_key"],
        ..token(
            "fireworks_api_key",
            API_KEY,
            &["fw_"],
            tok!("fw_[A-Za-z0-9]{20,40}"),
            46,
        )
    },
    token(
        "langsmith_api_key",
        API_KEY,
        &["lsv2_"],
        tok!("lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),
        56,
    ),
    token(
        "pinecone_api_key",
        API_KEY,
        &["pcsk_"],
        tok!("pcsk_[A-Za-z0-9_]{50,100}"),
        110,
    ),
    Spec {
        confidence: 0.85,
        context: &["elevenlabs", "xi-api-key", "eleven"],
        ..token(
            "elevenlabs_api_key",
            API_KEY,
            &["sk_"],
            tok!("sk_[a-f0-9]{48}"),
            54,
        )
    },
    token(
        "cerebras_api_key",
        API_KEY,
        &["csk-"],
        tok!("csk-[A-Za-z0-9]{40,56}"),
        64,
    ),
    token(
        "nvidia_api_key",
        API_KEY,
        &["nvapi-"],
        tok!("nvapi-[A-Za-z0-9_-]{64}"),
        74,
    ),
    token(
        "tavily_api_key",
        API_KEY,
        &["tvly-"],
        tok!("tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}"),
        44,
    ),
    keyed(
        "wandb_api_key",
        API_KEY,
        &["wandb"],
        120,
        find_wandb_key,
    ),
    // ---- SaaS and developer platforms ----------------------------------------------------
    token(
        "linear_api_key",
        API_KEY,
        &["lin_api_"],
        tok!("lin_api_[A-Za-z0-9]{40}"),
        50,
    ),
    token_with(
        "notion_token",
        API_KEY,
        &["secret_", "ntn_"],
        0,
        tok!("(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})"),
        56,
        mixed_random_token,
    ),
    Spec {
        validation: "entropy",
        context: &["airtable"],
        ..Spec::secret(
            "airtable_pat",
            ACCESS_TOKEN,
            Matcher::Anchored {
                start: Start::Letter,
                first_run: (17, 17),
                pattern: r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
                max_len: 82,
                validate: Some(random_token),
            },
        )
    },
    keyed(
        "datadog_api_key",
        API_KEY,
        &["datadog", "dd_api_key", "dd-api-key"],
        120,
        find_datadog_api_key,
    ),
    keyed(
        "datadog_app_key",
        API_KEY,
        &["datadog", "dd_app", "dd-application-key", "dd-app"],
        120,
        find_datadog_app_key,
    ),
    token(
        "newrelic_user_api_key",
        API_KEY,
        &["NRAK-"],
        tok!("NRAK-[A-Z0-9]{27}"),
        34,
    ),
    token(
        "newrelic_insert_key",
        API_KEY,
        &["NRII-"],
        tok!("NRII-[A-Za-z0-9_-]{32}"),
        40,
    ),
    token_with(
        "newrelic_license_key",
        API_KEY,
        &["NRAL"],
        36,
        tok!("[a-f0-9]{36}NRAL"),
        42,
        random_token,
    ),
    token(
        "sentry_org_token",
        ACCESS_TOKEN,
        &["sntrys_"],
        tok!("sntrys_[A-Za-z0-9+/=_]{60,}"),
        600,
    ),
    token(
        "sentry_user_token",
        ACCESS_TOKEN,
        &["sntryu_"],
        tok!("sntryu_[a-f0-9]{64}"),
        72,
    ),
    token(
        "grafana_cloud_token",
        ACCESS_TOKEN,
        &["glc_"],
        tok!("glc_[A-Za-z0-9+/]{32,}={0,2}"),
        512,
    ),
    token(
        "grafana_service_account_token",
        ACCESS_TOKEN,
        &["glsa_"],
        tok!("glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
        48,
    ),
    token(
        "grafana_api_key",
        API_KEY,
        &["eyJrIjoi"],
        tok!("eyJrIjoi[A-Za-z0-9+/]{40,}={0,2}"),
        400,
    ),
    token(
        "postman_api_key",
        API_KEY,
        &["PMAK-"],
        tok!("PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
        66,
    ),
    token(
        "dropbox_token",
        ACCESS_TOKEN,
        &["sl."],
        tok!(r"sl\.(?:u\.)?[A-Za-z0-9_-]{130,}"),
        1500,
    ),
    keyed(
        "okta_api_token",
        API_KEY,
        &["okta"],
        120,
        find_okta_token,
    ),
    token(
        "databricks_token",
        ACCESS_TOKEN,
        &["dapi"],
        tok!("dapi[a-f0-9]{32}(?:-[0-9]{1,2})?"),
        42,
    ),
    Spec {
        confidence: 0.99,
        ..token(
            "age_secret_key",
            PRIVATE_KEY,
            &["AGE-SECRET-KEY-1"],
            tok!("AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
            76,
        )
    },
    token(
        "onepassword_service_account_token",
        ACCESS_TOKEN,
        &["ops_eyJ"],
        tok!("ops_eyJ[A-Za-z0-9+/=_-]{100,}"),
        2048,
    ),
    token(
        "onepassword_secret_key",
        PRIVATE_KEY,
        &["A3-"],
        tok!("A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}"),
        48,
    ),
    token(
        "supabase_access_token",
        ACCESS_TOKEN,
        &["sbp_"],
        tok!("sbp_[a-f0-9]{40}"),
        46,
    ),
    token(
        "supabase_secret_key",
        API_KEY,
        &["sb_secret_"],
        tok!("sb_secret_[A-Za-z0-9_-]{20,64}"),
        80,
    ),
    keyed(
        "vercel_token",
        ACCESS_TOKEN,
        &["vercel"],
        120,
        find_vercel_token,
    ),
    token(
        "netlify_token",
        ACCESS_TOKEN,
        &["nfp_", "nfo_"],
        tok!("nf[po]_[A-Za-z0-9]{36}"),
        42,
    ),
    token(
        "flyio_token",
        ACCESS_TOKEN,
        &["fo1_", "fm1a_", "fm1r_", "fm2_"],
        tok!(r"(?:fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/=_-]{100,})"),
        4096,
    ),
    token(
        "planetscale_token",
        ACCESS_TOKEN,
        &["pscale_tkn_"],
        tok!("pscale_tkn_[A-Za-z0-9_=.-]{32,64}"),
        80,
    ),
    token(
        "planetscale_password",
        PASSWORD,
        &["pscale_pw_"],
        tok!("pscale_pw_[A-Za-z0-9_=.-]{32,64}"),
        80,
    ),
    token(
        "planetscale_oauth_token",
        ACCESS_TOKEN,
        &["pscale_oauth_"],
        tok!("pscale_oauth_[A-Za-z0-9_=.-]{32,64}"),
        80,
    ),
    token(
        "figma_token",
        ACCESS_TOKEN,
        &["figd_"],
        tok!("figd_[A-Za-z0-9_-]{40,100}"),
        110,
    ),
    Spec {
        validation: "entropy",
        confidence: 0.85,
        context: &["asana"],
        ..Spec::secret(
            "asana_pat",
            ACCESS_TOKEN,
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (1, 1),
                pattern: r"[0-2]/[0-9]{10,20}(?:/[0-9]{10,20})?:[a-f0-9]{32}",
                max_len: 80,
                validate: Some(random_token),
            },
        )
    },
    Spec {
        confidence: 0.85,
        context: &["intercom", "bearer", "authorization"],
        ..token(
            "intercom_access_token",
            ACCESS_TOKEN,
            &["dG9rO"],
            tok!("dG9rO[A-Za-z0-9+/]{40,80}={0,2}"),
            96,
        )
    },
    keyed(
        "zendesk_api_token",
        API_KEY,
        &["zendesk"],
        120,
        find_zendesk_token,
    ),
    token(
        "hubspot_private_app_token",
        ACCESS_TOKEN,
        &["pat-na", "pat-eu", "pat-ap"],
        tok!("pat-(?:na|eu|ap)[0-9]{1,2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        56,
    ),
    Spec {
        validation: "context",
        confidence: 0.7,
        context: &["launchdarkly", "launch darkly", "ld_api_key", "ld_access_token"],
        context_required: true,
        ..token(
            "launchdarkly_access_token",
            ACCESS_TOKEN,
            &["api-"],
            tok!("api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
            42,
        )
    },
    token(
        "mapbox_secret_token",
        ACCESS_TOKEN,
        &["sk.eyJ"],
        tok!(r"sk\.eyJ[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{20,30}"),
        300,
    ),
    keyed(
        "algolia_admin_key",
        API_KEY,
        &["algolia"],
        120,
        find_algolia_admin_key,
    ),
    token(
        "contentful_token",
        ACCESS_TOKEN,
        &["CFPAT-"],
        tok!("CFPAT-[A-Za-z0-9_-]{43}"),
        52,
    ),
    token(
        "typeform_token",
        ACCESS_TOKEN,
        &["tfp_"],
        tok!("tfp_[A-Za-z0-9_.=-]{40,70}"),
        78,
    ),
    token(
        "readme_api_key",
        API_KEY,
        &["rdme_"],
        tok!("rdme_[a-z0-9]{70}"),
        78,
    ),
    token(
        "scalingo_token",
        API_KEY,
        &["tk-us-"],
        tok!("tk-us-[A-Za-z0-9_-]{48}"),
        56,
    ),
    // ---- Private keys ----------------------------------------------------------------------
    pem("rsa_private_key", &["-----BEGIN RSA"], find_rsa_key),
    pem("ec_private_key", &["-----BEGIN EC"], find_ec_key),
    pem("dsa_private_key", &["-----BEGIN DSA"], find_dsa_key),
    pem("pkcs8_private_key", &["PRIVATE KEY-----"], find_pkcs8_key),
    pem(
        "encrypted_private_key",
        &["-----BEGIN ENCRYPTED"],
        find_encrypted_key,
    ),
    pem(
        "openssh_private_key",
        &["-----BEGIN OPENSSH"],
        find_openssh_key,
    ),
    pem("pgp_private_key", &["-----BEGIN PGP PRIVATE"], find_pgp_key),
    pem("putty_private_key", &["PuTTY-User-Key-File-"], find_putty_key),
    Spec {
        validation: "base64-pem",
        ..token_with(
            "private_key_base64",
            PRIVATE_KEY,
            &["LS0tLS1CRUdJTi"],
            0,
            tok!("LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2}"),
            8192,
            base64_pem_private_key,
        )
    },
    // ---- Tokens, URLs and headers that carry credentials --------------------------------
    Spec {
        validation: "jwt",
        confidence: 0.9,
        context: &["jwt", "token", "bearer", "authorization", "id_token", "access_token"],
        ..token_with(
            "jwt",
            "JWT",
            &["eyJ"],
            0,
            tok!(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
            8192,
            jwt,
        )
    },
    conn(
        "postgres_connection_string",
        &["postgres"],
        find_postgres_conn,
    ),
    conn(
        "mysql_connection_string",
        &["mysql", "mariadb"],
        find_mysql_conn,
    ),
    conn("mongodb_connection_string", &["mongodb"], find_mongodb_conn),
    conn("redis_connection_string", &["redis"], find_redis_conn),
    conn("amqp_connection_string", &["amqp"], find_amqp_conn),
    conn(
        "mssql_connection_string",
        &["mssql", "sqlserver"],
        find_mssql_conn,
    ),
    conn("jdbc_connection_string", &["jdbc:"], find_jdbc_conn),
    conn(
        "adonet_connection_string",
        &["password=", "pwd="],
        find_adonet_conn,
    ),
    conn(
        "database_connection_string",
        &[
            "cockroach",
            "clickhouse",
            "neo4j",
            "couchbase",
            "couchdb",
            "oracle",
            "snowflake",
            "db2",
            "cassandra",
            "influxdb",
            "rethinkdb",
            "memcached",
            "elasticsearch",
            "nats",
        ],
        find_other_db_conn,
    ),
    Spec {
        confidence: 1.0,
        ..keyed(
            "basic_auth_url",
            "BASIC_AUTH_URL",
            &["://"],
            700,
            find_basic_auth_url,
        )
    },
    Spec {
        confidence: 0.9,
        ..keyed(
            "http_basic_auth_header",
            PASSWORD,
            &["basic"],
            400,
            find_basic_auth_header,
        )
    },
    keyed(
        "http_bearer_token",
        ACCESS_TOKEN,
        &["bearer"],
        4200,
        find_bearer_token,
    ),
    Spec {
        confidence: 0.8,
        ..keyed(
            "api_key_header",
            API_KEY,
            &[
                "api-key",
                "apikey",
                "-token",
                "private-token",
                "functions-key",
                "x-secret",
            ],
            600,
            find_api_key_header,
        )
    },
    keyed(
        "curl_user_credentials",
        PASSWORD,
        &["curl"],
        560,
        find_curl_user,
    ),
    // ---- Passwords and generic secrets in assignments ------------------------------------
    Spec {
        confidence: 0.8,
        ..keyed(
            "password_assignment",
            PASSWORD,
            &["pass", "pwd"],
            420,
            find_password_assignment,
        )
    },
    Spec {
        confidence: 0.7,
        ..keyed(
            "password_in_prose",
            PASSWORD,
            &["password", "passcode", "passphrase", "passwd"],
            120,
            find_password_prose,
        )
    },
    Spec {
        confidence: 0.7,
        ..keyed(
            "generic_secret",
            "GENERIC_SECRET",
            &["secret", "token", "key", "auth", "credential"],
            420,
            find_generic_secret,
        )
    },
];

const fn pem(id: &'static str, triggers: &'static [&'static str], find: CodeMatcher) -> Spec {
    Spec {
        validation: "pem",
        confidence: 0.99,
        ..keyed(id, PRIVATE_KEY, triggers, MAX_PEM as u16, find)
    }
}

/// A connection string. `user:password@host` also reads as an e-mail address; the credential is
/// certain once the password passed the placeholder filter, so it outranks the address.
const fn conn(id: &'static str, triggers: &'static [&'static str], find: CodeMatcher) -> Spec {
    Spec {
        validation: "format",
        confidence: 1.0,
        ..keyed(id, CONNECTION_STRING, triggers, CONN_MAX_LEN as u16, find)
    }
}

// =================================================================================================
// Shared checks
// =================================================================================================

/// Substrings that mark a value as a stand-in rather than a real credential.
const PLACEHOLDER_MARKS: &[&str] = &[
    "xxxx",
    "****",
    "•••",
    "...",
    "changeme",
    "change_me",
    "change-me",
    "example",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpass",
    "youraccess",
    "placeholder",
    "dummy",
    "redacted",
    "replaceme",
    "replace_me",
    "replace-me",
    "insert_",
    "insert-",
    "fixme",
    "lorem",
    "os.environ",
    "os.getenv",
    "process.env",
    "getenv",
    "get_secret",
    "getsecret",
    "secretmanager",
    "keyvault",
    "env(",
    "env[",
    "env.",
    "<",
    ">",
];

/// The marks as people write them: lower case, UPPER CASE and Capitalised. Matching these exact
/// forms (not any mix of case) keeps a random token from containing one by chance. One automaton
/// looks for all of them at once: this check runs on every candidate value.
static PLACEHOLDER_FORMS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let mut forms = Vec::new();
    for m in PLACEHOLDER_MARKS {
        forms.push(m.to_string());
        forms.push(m.to_ascii_uppercase());
        let mut cap = m.to_string();
        if let Some(first) = cap.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        forms.push(cap);
    }
    forms.sort();
    forms.dedup();
    AhoCorasickBuilder::new()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .prefilter(false)
        .build(&forms)
        .expect("built-in literals compile")
});

/// Runs that appear in hand-typed fake passwords and keys.
const SEQUENCES: &[&str] = &[
    "012345", "123456", "234567", "345678", "456789", "987654", "abcdef", "bcdefg", "qwerty",
    "asdfgh", "zxcvbn",
];

/// True when `value` is a template, a reference, a run of one character, a keyboard sequence or
/// another obvious stand-in (`<your-key>`, `${VAR}`, `{{ x }}`, `%s`, `xxxx`, `changeme`...).
pub(crate) fn looks_like_placeholder(value: &str) -> bool {
    let v = value.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    if v.is_empty() {
        return true;
    }
    let b = v.as_bytes();
    if v.starts_with('$')
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('[') && v.ends_with(']'))
    {
        return true;
    }
    // Templates (`${`, `#{`, `{{`, `}}`, `%(`) and printf conversions, in one pass over the bytes.
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied();
        let template = match c {
            b'$' | b'#' => next == Some(b'{'),
            b'{' => next == Some(b'{'),
            b'}' => next == Some(b'}'),
            b'%' => next == Some(b'(') || printf_spec_at(b, i),
            _ => false,
        };
        if template {
            return true;
        }
    }
    if PLACEHOLDER_FORMS.is_match(v) {
        return true;
    }
    // Over the letters and digits, lower-cased: two or three distinct ones make a stand-in
    // (`aaaa`, `abab1212`); four are enough to rule that out, so the count stops there.
    let mut seen = [false; 128];
    let mut distinct = 0;
    let alnum = || b.iter().filter(|c| c.is_ascii_alphanumeric());
    for c in alnum() {
        let c = c.to_ascii_lowercase();
        if !seen[c as usize] {
            seen[c as usize] = true;
            distinct += 1;
            if distinct == 4 {
                break;
            }
        }
    }
    let len = alnum().count();
    if (len >= 4 && distinct <= 2) || (len >= 8 && distinct <= 3) {
        return true;
    }
    // A run like `abcdef...` or `0123456789` that makes up much of the value. Synthetic ids inside
    // real-shaped tokens (`xoxb-1234567890-...`) are a small part and do not count. A run steps
    // within `0-9` or `a-z`, so it is at most 26 long: values of more than 65 letters and digits
    // cannot be made up of one.
    if len > 65 {
        return false;
    }
    let (mut best, mut up, mut down, mut prev) = (0usize, 0usize, 0usize, 0u8);
    for (n, c) in alnum().enumerate() {
        let c = c.to_ascii_lowercase();
        if n == 0 {
            (up, down) = (1, 1);
        } else {
            up = if c == prev.wrapping_add(1) { up + 1 } else { 1 };
            down = if c == prev.wrapping_sub(1) {
                down + 1
            } else {
                1
            };
        }
        best = best.max(up).max(down);
        prev = c;
    }
    best >= 6 && best * 10 >= len * 4
}

/// A printf-style conversion (`%s`, `%d`, `%0.f`, `%-8.3f`): a format template, not a value.
/// URL escapes (`%2F`, `%3D`) are two hex digits and do not count.
fn printf_spec_at(b: &[u8], at: usize) -> bool {
    let mut j = at + 1;
    while j < b.len() && b"-+ #".contains(&b[j]) {
        j += 1;
    }
    let digits_start = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let mut precision = false;
    if j < b.len() && b[j] == b'.' {
        precision = true;
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    let conv = b.get(j).is_some_and(|c| b"sdifrxgeuc".contains(c));
    conv && (precision || j == digits_start)
}

/// Words that, alone or followed by digits, are how documentation spells "a password goes here".
const WEAK_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "apikey",
    "test",
    "testing",
    "demo",
    "sample",
    "admin",
    "root",
    "user",
    "username",
    "guest",
    "default",
    "foo",
    "bar",
    "foobar",
    "baz",
    "changeit",
    "letmein",
    "mypassword",
    "mysecret",
    "mytoken",
    "secretkey",
    "null",
    "none",
    "nil",
    "true",
    "false",
    "undefined",
    "empty",
    "string",
    "str",
    "required",
    "optional",
    "value",
    "hidden",
    "masked",
    "unknown",
    "tbd",
    "na",
    "abc",
    "qwerty",
    "welcome",
    "hunter",
    "todo",
    "private",
    "public",
    "auth",
    "credential",
    "credentials",
    "fake",
    "mock",
    "invalid",
];

/// Test words and keyboard or counting runs that mark a value as made up, ASCII case-insensitively.
static WEAK_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let marks = ["test", "fake", "mock", "sample", "dummy"];
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .prefilter(false)
        .build(marks.iter().chain(SEQUENCES))
        .expect("built-in literals compile")
});

/// `looks_like_placeholder`, plus the weak words and test values that fill assignments in docs.
pub(crate) fn placeholder_value(value: &str) -> bool {
    if looks_like_placeholder(value) || WEAK_MARKS.is_match(value) {
        return true;
    }
    // The value's letters, lower-cased, spell a weak word (`Password1!`, `admin123`)? The longest
    // weak word is short, so more letters than the buffer holds cannot be one.
    let mut letters = [0u8; 16];
    let mut n = 0;
    for b in value.bytes().filter(u8::is_ascii_alphabetic) {
        if n == letters.len() {
            return false;
        }
        letters[n] = b.to_ascii_lowercase();
        n += 1;
    }
    WEAK_WORDS.iter().any(|w| w.as_bytes() == &letters[..n])
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!@#._-".contains(&b))
}

/// True when an unquoted value is code (a variable, call, attribute or lookup), not a literal.
fn is_code_reference(value: &str) -> bool {
    if value.starts_with(['$', '@', '&', '*', '!', '%'])
        || value.contains("::")
        || value.contains("->")
        || value.contains(['(', ')', '[', ']', '{', '}'])
    {
        return true;
    }
    // `settings.SECRET_KEY`, `self.token`: dotted identifiers with short segments. A JWT or other
    // dotted token has long random segments and stays a literal.
    let segments: Vec<&str> = value.split('.').collect();
    segments.len() >= 2
        && segments.iter().all(|s| {
            !s.is_empty()
                && s.len() <= 24
                && s.as_bytes()[0].is_ascii_alphabetic()
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// Shannon entropy high enough for a random token of this length and alphabet. The limits sit well
/// below what random bodies reach, so only repeated or word-like values fall under them.
fn entropy_ok(s: &str) -> bool {
    let hex = s.bytes().all(|b| b.is_ascii_hexdigit());
    let min = match s.len() {
        0..=11 => 2.0,
        12..=23 => {
            if hex {
                2.2
            } else {
                2.6
            }
        }
        24..=39 => {
            if hex {
                2.8
            } else {
                3.2
            }
        }
        _ => {
            if hex {
                3.0
            } else {
                3.5
            }
        }
    };
    shannon_entropy(s) >= min
}

/// The default validator of prefixed tokens: random enough and not a stand-in.
fn random_token(s: &str) -> bool {
    !looks_like_placeholder(s) && entropy_ok(s)
}

/// A random token whose body mixes upper case, lower case and digits, for prefixes that also
/// start ordinary identifiers (`secret_`).
fn mixed_random_token(s: &str) -> bool {
    let body = s.split_once('_').map_or(s, |(_, b)| b);
    random_token(s)
        && body.bytes().any(|b| b.is_ascii_uppercase())
        && body.bytes().any(|b| b.is_ascii_lowercase())
        && body.bytes().any(|b| b.is_ascii_digit())
}

/// The body after `sk-`: random, with letters and digits (and both cases unless it is hex).
fn sk_body(s: &str) -> bool {
    let body = &s[3..];
    let hex = body
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    random_token(body) && keyed_value(body) && (hex || keyed_mixed_case(body))
}

fn hex_body_after_two(s: &str) -> bool {
    let body = &s[2..];
    random_token(body)
        && body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Webhook URLs: the ids and keys in the path must not be documentation stand-ins
/// (`T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`).
fn webhook_url(s: &str) -> bool {
    let path = s
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or("", |(_, path)| path);
    let mut runs = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| run.len() >= 6)
        .peekable();
    if runs.peek().is_none() {
        return false;
    }
    let mut any_real = false;
    for run in runs {
        let placeholder = looks_like_placeholder(run);
        if placeholder && run.len() >= 16 {
            return false;
        }
        any_real |= !placeholder;
    }
    any_real
}

fn twitter_bearer(s: &str) -> bool {
    let body = s.trim_start_matches('A');
    s.contains('%') && random_token(body)
}

fn b64_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes standard or URL-safe base64, padded or not.
fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in s.bytes() {
        acc = (acc << 6) | b64_value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A JWT: the header and payload decode to JSON objects and the header names its algorithm.
fn jwt(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let json_object = |part: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        match serde_json::from_slice(&b64_decode(part)?).ok()? {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let Some(header) = json_object(header) else {
        return false;
    };
    header.get("alg").is_some_and(serde_json::Value::is_string)
        && json_object(payload).is_some()
        && entropy_ok(signature)
}

/// A Discord bot token starts with the bot's numeric user id in base64.
fn discord_bot_token(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(id), Some(_), Some(hmac)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(id) = b64_decode(id) else {
        return false;
    };
    (17..=20).contains(&id.len())
        && id.iter().all(u8::is_ascii_digit)
        && id[0] != b'0'
        && random_token(hmac)
}

/// A base64-encoded PEM private key, as in a kubeconfig `client-key-data` or a Kubernetes secret:
/// the decoded text is a PEM private key header followed by a key-like body.
fn base64_pem_private_key(s: &str) -> bool {
    let whole = s.trim_end_matches('=');
    let usable = &whole[..whole.len() / 4 * 4];
    let Some(bytes) = b64_decode(usable) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    let Some(rest) = text.strip_prefix("-----BEGIN ") else {
        return false;
    };
    let Some((label, body)) = rest.split_once("-----") else {
        return false;
    };
    let body = body.split("-----END").next().unwrap_or("");
    label.ends_with("PRIVATE KEY") && body_is_key(body, 64)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Bytes that continue a token: a value followed by one of these was cut, not ended.
fn is_token_byte(b: u8) -> bool {
    is_word_byte(b) || matches!(b, b'-' | b'+' | b'/')
}

fn push_hit(hits: &mut Vec<CodeHit>, start: usize, end: usize, confidence: Option<f32>) {
    if hits
        .last()
        .is_some_and(|h| h.start == start && h.end == end)
    {
        return;
    }
    hits.push(CodeHit {
        start,
        end,
        confidence,
    });
}

/// Sorts and de-duplicates the hits this matcher added (from `base` on), leaving earlier ones alone.
fn sort_dedup_from(hits: &mut Vec<CodeHit>, base: usize) {
    let mut added = hits.split_off(base);
    added.sort_by_key(|h| (h.start, h.end));
    added.dedup_by_key(|h| (h.start, h.end));
    hits.extend(added);
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

// =================================================================================================
// Looking only where a trigger is
// =================================================================================================
//
// A code matcher runs only when one of its triggers occurs, but then it gets the whole text. Words
// like `key`, `token` or `://` occur in most prompts, so a matcher that ran its pattern over the
// whole text would cost a regex pass on nearly every one. Instead each matcher first finds the few
// places where a match can start or must pass (its triggers, `:` and `=`, `://`) with a cheap
// literal search, drops most of them after a look at the bytes around, and runs its pattern only
// at the rest: anchored at a start, or in a small window. A pattern that opens with a provider's
// name is left to its own literal prefilter, which finds those places faster. Either way a hit must
// lie near a trigger: the streaming scanner holds text back around triggers only.

/// The engine of the code matchers' patterns: it searches a window of the text while seeing the bytes
/// around it, so `\b` and `^` at a window's edge mean what they mean in the whole text.
type Re = regex_automata::meta::Regex;

fn compile(pattern: &str) -> Re {
    Re::new(pattern).expect("built-in pattern compiles")
}

/// The longest text, in bytes, that `pattern` can match.
fn reach(pattern: &str) -> usize {
    regex_syntax::parse(pattern)
        .expect("built-in pattern parses")
        .properties()
        .maximum_len()
        .expect("a windowed pattern has a bounded length")
}

/// An automaton for literals, matched ASCII case-insensitively like the scanner's triggers.
fn literals<I, P>(words: I) -> AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(words)
        .expect("built-in literals compile")
}

/// The triggers that gate the built-in code detector `id`.
fn spec_triggers(id: &str) -> &'static [&'static str] {
    SPECS
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| match s.matcher {
            Matcher::Code { triggers, .. } => Some(triggers),
            _ => None,
        })
        .expect("a built-in code detector with this id")
}

/// Occurrences of the automaton's literals as `(start, end)`, in order. The search does not report
/// an occurrence that overlaps an earlier one (so that the automaton's prefilter can skip ahead); a
/// window around an occurrence therefore needs the longest literal's length added on each side to
/// cover the overlapping ones too.
fn occurrences(ac: &AhoCorasick, text: &str) -> Vec<(usize, usize)> {
    ac.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

/// Calls `f` with every match of `re` in the windows `[start - before, end + after]` around `spans`
/// (sorted by start), merged where they overlap. When the windows hold every match that contains a
/// span, this finds exactly what a search of the whole text finds among those matches.
fn captures_near(
    text: &str,
    re: &Re,
    spans: &[(usize, usize)],
    before: usize,
    after: usize,
    mut f: impl FnMut(&Captures),
) {
    let mut i = 0;
    while i < spans.len() {
        let lo = spans[i].0.saturating_sub(before);
        let mut hi = spans[i].1 + after;
        i += 1;
        while i < spans.len() && spans[i].0.saturating_sub(before) <= hi {
            hi = hi.max(spans[i].1 + after);
            i += 1;
        }
        let (lo, hi) = (floor_boundary(text, lo), ceil_boundary(text, hi));
        for caps in re.captures_iter(Input::new(text).range(lo..hi)) {
            f(&caps);
        }
    }
}

/// Tries `re` anchored at each of `starts` (ascending, on char boundaries) and calls `f` with each
/// match. A start inside an earlier match is skipped, so when `starts` holds every place a match can
/// begin, this finds what an unanchored search of the whole text finds. `reach` bounds a match.
fn captures_from(
    text: &str,
    re: &Re,
    starts: impl IntoIterator<Item = usize>,
    reach: usize,
    mut f: impl FnMut(&Captures),
) {
    let mut caps = re.create_captures();
    let mut done = 0;
    for at in starts {
        if at < done {
            continue;
        }
        let hi = ceil_boundary(text, at + reach);
        re.search_captures(
            &Input::new(text).range(at..hi).anchored(Anchored::Yes),
            &mut caps,
        );
        if let Some(m) = caps.get_match() {
            done = m.end().max(at + 1);
            f(&caps);
        }
    }
}

/// As `captures_from`, for patterns whose groups the caller can tell from the match itself: the
/// match alone comes from the lazy DFA, without the cost of a capturing engine.
fn matches_from(
    text: &str,
    re: &Re,
    starts: impl IntoIterator<Item = usize>,
    reach: usize,
    mut f: impl FnMut(regex_automata::Match),
) {
    let mut done = 0;
    for at in starts {
        if at < done {
            continue;
        }
        let hi = ceil_boundary(text, at + reach);
        if let Some(m) = re.search(&Input::new(text).range(at..hi).anchored(Anchored::Yes)) {
            done = m.end().max(at + 1);
            f(m);
        }
    }
}

/// The text of capture group `i`, with its start.
fn group<'t>(text: &'t str, caps: &Captures, i: usize) -> Option<(usize, &'t str)> {
    caps.get_group(i).map(|s| (s.start, &text[s.range()]))
}

/// True when `b` starts with `word`, ASCII case-insensitively.
fn starts_with_ci(b: &[u8], word: &str) -> bool {
    b.len() >= word.len() && b[..word.len()].eq_ignore_ascii_case(word.as_bytes())
}

/// A pattern that only counts near one of a detector's triggers. The pattern starts with its key
/// words, which its own literal prefilter finds faster than a separate search for the triggers
/// would; a match then counts only when a trigger lies within the detector's `max_len` of it, as
/// the scanner's gate requires (the streaming scanner holds text back around triggers only).
struct Near {
    re: Re,
    triggers: AhoCorasick,
    max_len: usize,
}

impl Near {
    fn new(id: &str, pattern: &str) -> Near {
        let spec = SPECS
            .iter()
            .find(|s| s.id == id)
            .expect("a built-in detector with this id");
        Near {
            re: compile(pattern),
            triggers: literals(spec_triggers(id)),
            max_len: spec.matcher.max_len(),
        }
    }

    /// Calls `f` with each match whose hit (group 1) lies near a trigger.
    fn captures(&self, text: &str, mut f: impl FnMut(&Captures)) {
        for caps in self.re.captures_iter(text) {
            let Some(hit) = caps.get_group(1) else {
                continue;
            };
            if near_trigger(text, &self.triggers, hit.start, hit.end, self.max_len) {
                f(&caps);
            }
        }
    }
}

/// Whether one of `triggers` occurs close enough to the hit `[start, end)` for the scanner's gate:
/// the hit must lie within `max_len` bytes of the occurrence on both sides.
fn near_trigger(
    text: &str,
    triggers: &AhoCorasick,
    start: usize,
    end: usize,
    max_len: usize,
) -> bool {
    let lo = floor_boundary(text, end.saturating_sub(max_len));
    let hi = ceil_boundary(text, start + max_len);
    lo < hi && triggers.is_match(aho_corasick::Input::new(text).span(lo..hi))
}

// =================================================================================================
// Values bound to a provider's key name
// =================================================================================================

/// What may stand between a key name and its value: the rest of the identifier (`_API_KEY`), a
/// closing quote or bracket, and an assignment, colon or opening call parenthesis.
macro_rules! keyed_regex {
    ($keys:literal, $value:literal) => {
        concat!(
            "(?i:",
            $keys,
            r#")[A-Za-z0-9_. -]{0,30}?["'`\]]{0,2}[ \t]{0,4}(?::=|=>|=|:|\()[ \t]{0,4}["'`]?("#,
            $value,
            ")"
        )
    };
}

/// Defines the code matcher of detector `$id`: the value (group 1) of a key-bound pattern, looked
/// for near the detector's triggers.
macro_rules! keyed_fn {
    ($name:ident, $id:literal, $keys:literal, $value:literal, $check:expr) => {
        fn $name(text: &str, hits: &mut Vec<CodeHit>) {
            static RE: LazyLock<Near> =
                LazyLock::new(|| Near::new($id, keyed_regex!($keys, $value)));
            keyed_hits(text, hits, &RE, $check);
        }
    };
}

fn keyed_hits(text: &str, hits: &mut Vec<CodeHit>, near: &Near, check: fn(&str) -> bool) {
    let bytes = text.as_bytes();
    near.captures(text, |caps| {
        let Some((start, value)) = group(text, caps, 1) else {
            return;
        };
        let end = start + value.len();
        if bytes.get(end).is_some_and(|&b| is_token_byte(b))
            || (start > 0 && is_word_byte(bytes[start - 1]))
        {
            return;
        }
        if check(value) {
            push_hit(hits, start, end, None);
        }
    });
}

/// Random enough, and mixes letters with digits (so words and numbers are not keys).
fn keyed_value(s: &str) -> bool {
    random_token(s)
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// As `keyed_value`, and the value mixes upper and lower case (base62 bodies always do).
fn keyed_mixed_case(s: &str) -> bool {
    keyed_value(s)
        && s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes().any(|b| b.is_ascii_lowercase())
}

fn keyed_uuid(s: &str) -> bool {
    !looks_like_placeholder(s) && s.bytes().filter(|&b| b == b'0').count() < 16
}

keyed_fn!(
    find_aws_secret_keyed,
    "aws_secret_access_key",
    r"aws_?secret(?:_?access)?(?:_?key)?|secret_?access_?key|aws[ _-]secret[ _-]key",
    "[A-Za-z0-9/+]{40}",
    aws_secret_value
);

/// An AWS secret access key: after a key name, or within a short distance after an access key id
/// (CSV exports and `aws configure` transcripts put them side by side).
fn find_aws_secret(text: &str, hits: &mut Vec<CodeHit>) {
    static AFTER_ID: LazyLock<Near> = LazyLock::new(|| {
        Near::new(
            "aws_secret_access_key",
            r"(?-u:\b)(?:AKIA|ASIA)[A-Z0-9]{16}[^A-Za-z0-9/+]{1,40}?([A-Za-z0-9/+]{40})",
        )
    });
    let base = hits.len();
    find_aws_secret_keyed(text, hits);
    keyed_hits(text, hits, &AFTER_ID, aws_secret_value);
    // The two passes can find the same value; keep each span once.
    sort_dedup_from(hits, base);
}

fn aws_secret_value(s: &str) -> bool {
    keyed_mixed_case(s) && shannon_entropy(s) >= 4.0
}

keyed_fn!(
    find_gcp_private_key_id,
    "gcp_service_account_key_id",
    "private_key_id",
    "[a-f0-9]{40}",
    keyed_value
);
keyed_fn!(
    find_azure_storage_key,
    "azure_storage_account_key",
    r"account_?key|storage_?account_?key|storage_?key",
    "[A-Za-z0-9+/]{86}==",
    keyed_mixed_case
);
keyed_fn!(
    find_azure_shared_access_key,
    "azure_shared_access_key",
    "sharedaccesskey",
    "[A-Za-z0-9+/]{43}=",
    keyed_mixed_case
);
keyed_fn!(
    find_azure_devops_pat,
    "azure_devops_pat",
    r"azure[_ -]?devops|ado_?pat|ado_?token|azdo|system_accesstoken|devops_?(?:pat|token)",
    "[a-z2-7]{52}|[A-Za-z0-9]{84}",
    keyed_value
);
keyed_fn!(
    find_azure_apim_key,
    "azure_apim_subscription_key",
    "ocp-apim-subscription-key|subscription[_-]key",
    "[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_azure_openai_key,
    "azure_openai_key",
    r"azure[_ -]?openai|cognitive[_ -]?services?",
    "[a-f0-9]{32}|[A-Za-z0-9]{84}",
    keyed_value
);
keyed_fn!(
    find_alibaba_secret,
    "alibaba_access_key_secret",
    r"(?:alibaba|aliyun|alicloud)[A-Za-z0-9_ -]{0,20}?secret|access_?key_?secret",
    "[A-Za-z0-9]{30}",
    keyed_mixed_case
);
keyed_fn!(
    find_ibm_cloud_key,
    "ibm_cloud_api_key",
    "ibm",
    "[A-Za-z0-9_-]{44}",
    keyed_mixed_case
);
keyed_fn!(
    find_heroku_legacy,
    "heroku_api_key_legacy",
    r"heroku[A-Za-z0-9_ -]{0,12}?(?:api[_ -]?key|token|key)",
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    keyed_uuid
);
keyed_fn!(
    find_cloudflare_token,
    "cloudflare_api_token",
    r"cloudflare[A-Za-z0-9_ -]{0,12}?token|cf_api_token|cf_token",
    "[A-Za-z0-9_-]{40}",
    keyed_mixed_case
);
keyed_fn!(
    find_cloudflare_global_key,
    "cloudflare_global_api_key",
    r"cloudflare[A-Za-z0-9_ -]{0,12}?(?:api[_ -]?key|global[_ -]?key|key)|cf_api_key|x-auth-key",
    "[a-f0-9]{37}",
    keyed_value
);
keyed_fn!(
    find_github_client_secret,
    "github_oauth_client_secret",
    r"github[A-Za-z0-9_ -]{0,12}?client[_ -]?secret",
    "[a-f0-9]{40}",
    keyed_value
);
keyed_fn!(
    find_gitlab_session,
    "gitlab_session_cookie",
    "_gitlab_session",
    "[0-9a-z]{32}",
    keyed_value
);
keyed_fn!(
    find_snyk_token,
    "snyk_api_token",
    r"snyk[A-Za-z0-9_ -]{0,12}?(?:token|api[_ -]?key|key|auth)",
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    keyed_uuid
);
keyed_fn!(
    find_adyen_key,
    "adyen_api_key",
    "adyen",
    "AQE[A-Za-z0-9+/=._-]{60,300}",
    keyed_mixed_case
);
keyed_fn!(
    find_twilio_auth_token,
    "twilio_auth_token",
    r"twilio[A-Za-z0-9_ -]{0,12}?(?:auth[_ -]?token|token|secret)",
    "[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_slack_signing_secret,
    "slack_signing_secret",
    r"slack[A-Za-z0-9_ -]{0,6}?(?:signing[_ -]?secret|client[_ -]?secret)",
    "[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_facebook_app_secret,
    "facebook_app_secret",
    r"(?:facebook|fb)[A-Za-z0-9_ -]{0,12}?secret",
    "[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_cohere_key,
    "cohere_api_key",
    "cohere|co_api_key",
    "[A-Za-z0-9]{40}",
    keyed_mixed_case
);
keyed_fn!(
    find_mistral_key,
    "mistral_api_key",
    "mistral",
    "[A-Za-z0-9]{32}",
    keyed_mixed_case
);
keyed_fn!(
    find_deepseek_key,
    "deepseek_api_key",
    "deepseek",
    "sk-[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_together_legacy,
    "together_api_key_legacy",
    "together(?:[_ -]?ai)?",
    "[a-f0-9]{64}",
    keyed_value
);
keyed_fn!(
    find_wandb_key,
    "wandb_api_key",
    "wandb",
    "[a-f0-9]{40}",
    keyed_value
);
keyed_fn!(
    find_datadog_api_key,
    "datadog_api_key",
    r"datadog[A-Za-z0-9_ -]{0,10}?api[_ -]?key|dd[_-]api[_-]?key",
    "[a-f0-9]{32}",
    keyed_value
);
keyed_fn!(
    find_datadog_app_key,
    "datadog_app_key",
    r"datadog[A-Za-z0-9_ -]{0,10}?app(?:lication)?[_ -]?key|dd[_-]app(?:lication)?[_-]?key",
    "[a-f0-9]{40}",
    keyed_value
);
keyed_fn!(
    find_okta_token,
    "okta_api_token",
    "okta",
    "00[A-Za-z0-9_-]{40}",
    keyed_mixed_case
);
keyed_fn!(
    find_vercel_token,
    "vercel_token",
    "vercel",
    "[A-Za-z0-9]{24}",
    keyed_mixed_case
);
keyed_fn!(
    find_zendesk_token,
    "zendesk_api_token",
    "zendesk",
    "[A-Za-z0-9]{40}",
    keyed_mixed_case
);
keyed_fn!(
    find_algolia_admin_key,
    "algolia_admin_key",
    r"algolia[A-Za-z0-9_ -]{0,12}?(?:admin|write)[_ -]?(?:api[_ -]?)?key",
    "[a-f0-9]{32}",
    keyed_value
);

/// Azure Storage SAS: the signature of a query string that also names a service version.
fn find_azure_sas(text: &str, hits: &mut Vec<CodeHit>) {
    static RE: LazyLock<Near> = LazyLock::new(|| {
        Near::new(
            "azure_sas_token",
            r#"(?i:[?&;]sv=)[0-9]{4}-[0-9]{2}-[0-9]{2}[^\s"'<>]{0,400}?(?i:[?&]sig=)([A-Za-z0-9%+/]{30,120}(?:%3D|=){0,2})"#,
        )
    });
    RE.captures(text, |caps| {
        let Some((start, value)) = group(text, caps, 1) else {
            return;
        };
        if !looks_like_placeholder(value) && entropy_ok(value) {
            push_hit(hits, start, start + value.len(), None);
        }
    });
}

// =================================================================================================
// Private keys
// =================================================================================================

/// The longest private key block looked at; an RSA-8192 PEM or a PGP secret key with a subkey fits.
const MAX_PEM: usize = 8192;

const PEM_OTHERS: &[&str] = &[
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "PGP PRIVATE KEY BLOCK",
];

fn find_rsa_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "RSA PRIVATE KEY");
}
fn find_ec_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "EC PRIVATE KEY");
}
fn find_dsa_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "DSA PRIVATE KEY");
}
fn find_encrypted_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "ENCRYPTED PRIVATE KEY");
}
fn find_openssh_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "OPENSSH PRIVATE KEY");
}
fn find_pgp_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| l == "PGP PRIVATE KEY BLOCK");
}
/// PKCS#8 `PRIVATE KEY` and any other `... PRIVATE KEY` label the specific detectors leave.
fn find_pkcs8_key(text: &str, hits: &mut Vec<CodeHit>) {
    pem_hits(text, hits, |l| {
        l.ends_with("PRIVATE KEY") && !PEM_OTHERS.contains(&l)
    });
}

/// Finds `-----BEGIN <label>-----` blocks whose label `want` accepts and whose body is base64 (with
/// real or JSON-escaped line breaks and optional `Name: value` armor headers). A block without its
/// END line still counts, at lower confidence, when the body is long enough to be a key.
fn pem_hits(text: &str, hits: &mut Vec<CodeHit>, want: fn(&str) -> bool) {
    const BEGIN: &str = "-----BEGIN ";
    let mut from = 0;
    while let Some(off) = text[from..].find(BEGIN) {
        let start = from + off;
        from = start + BEGIN.len();
        let rest = &text[from..];
        let Some(label_len) = rest[..floor_boundary(rest, 48)].find("-----") else {
            continue;
        };
        let label = &rest[..label_len];
        if !want(label) {
            continue;
        }
        let body_start = from + label_len + 5;
        let limit = floor_boundary(text, start + MAX_PEM);
        if body_start >= limit {
            continue;
        }
        let window = &text[body_start..limit];
        let end_marker = format!("-----END {label}-----");
        let body = scan_pem_body(window);
        match window.find(&end_marker) {
            Some(e) if body.valid_len >= e => {
                if body_is_key(&window[..e], 64) {
                    push_hit(hits, start, body_start + e + end_marker.len(), None);
                    from = body_start + e + end_marker.len();
                }
            }
            _ => {
                if body.last_b64_end > 0 && body_is_key(&window[..body.last_b64_end], 200) {
                    push_hit(hits, start, body_start + body.last_b64_end, Some(0.8));
                    from = body_start + body.last_b64_end;
                }
            }
        }
    }
}

struct PemBody {
    /// Bytes from the start that are valid body text.
    valid_len: usize,
    /// End of the last base64 byte within the valid prefix.
    last_b64_end: usize,
}

/// Walks a PEM body: base64, padding, whitespace, `\n` escapes, armor headers at line starts.
fn scan_pem_body(s: &str) -> PemBody {
    let b = s.as_bytes();
    let mut i = 0;
    let mut last_b64_end = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if line_start {
            if let Some(len) = armor_header_len(&b[i..]) {
                i += len;
                continue;
            }
        }
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => {
                i += 1;
                last_b64_end = i;
                line_start = false;
            }
            b'\n' | b'\r' => {
                i += 1;
                line_start = true;
            }
            b' ' | b'\t' | b'"' | b',' => i += 1,
            b'\\' if matches!(b.get(i + 1), Some(b'n' | b'r')) => {
                i += 2;
                line_start = true;
            }
            _ => break,
        }
    }
    PemBody {
        valid_len: i,
        last_b64_end,
    }
}

/// Length of a `Proc-Type: 4,ENCRYPTED`-style header line, up to (not including) its line break.
fn armor_header_len(b: &[u8]) -> Option<usize> {
    let name = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    if name < 4 || b.get(name) != Some(&b':') || b.get(name + 1) != Some(&b' ') {
        return None;
    }
    let mut i = name + 2;
    while i < b.len()
        && b[i] != b'\n'
        && b[i] != b'\r'
        && !(b[i] == b'\\' && b.get(i + 1) == Some(&b'n'))
    {
        i += 1;
    }
    Some(i)
}

/// Enough base64 to be key material, and random like it (a stand-in like `MIIE...` is neither).
fn body_is_key(body: &str, min_b64: usize) -> bool {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    let mut line_start = true;
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if line_start {
            if let Some(len) = armor_header_len(&b[i..]) {
                i += len;
                continue;
            }
        }
        let c = b[i];
        if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' {
            counts[c as usize] += 1;
            n += 1;
            line_start = false;
        } else if c == b'\n' || c == b'\r' {
            line_start = true;
        } else if c == b'\\' && matches!(b.get(i + 1), Some(b'n' | b'r')) {
            i += 1;
            line_start = true;
        }
        i += 1;
    }
    if (n as usize) < min_b64 {
        return false;
    }
    let total = n as f32;
    let entropy: f32 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / total;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.5
}

/// A PuTTY `.ppk` file: from its header line to the end of its `Private-MAC` line.
fn find_putty_key(text: &str, hits: &mut Vec<CodeHit>) {
    const HEAD: &str = "PuTTY-User-Key-File-";
    let mut from = 0;
    while let Some(off) = text[from..].find(HEAD) {
        let start = from + off;
        from = start + HEAD.len();
        let limit = floor_boundary(text, start + MAX_PEM);
        let window = &text[start..limit];
        let Some(lines) = window.find("Private-Lines:") else {
            continue;
        };
        let Some(mac) = window[lines..].find("Private-MAC: ") else {
            continue;
        };
        let mac_start = lines + mac + "Private-MAC: ".len();
        let mac_len = window[mac_start..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count();
        // Skip the line count itself; the private blob starts on the next line.
        let after_count = &window[lines + "Private-Lines:".len()..lines + mac];
        let private = after_count
            .trim_start_matches([' ', '\t'])
            .trim_start_matches(|c: char| c.is_ascii_digit());
        if mac_len >= 40 && body_is_key(private, 64) {
            push_hit(hits, start, start + mac_start + mac_len, None);
            from = start + mac_start + mac_len;
        }
    }
}

// =================================================================================================
// Connection strings and URLs with credentials
// =================================================================================================

/// `scheme://user:password@host...`; the password may contain `@` and `:`, so the host starts after
/// the last `@` before the first `/`.
const CONN_URI_PATTERN: &str = r#"(?i)(?-u:\b)((?:jdbc:)?[a-z][a-z0-9]{1,15}(?:\+[a-z0-9]{1,15})?(?::[a-z0-9]{1,15})?)://([^\s:@/"'<>`]{0,128}):([^\s/"'<>`]{1,256})@([A-Za-z0-9._\[\]-]{1,253}(?::[0-9]{1,5})?(?:,[A-Za-z0-9._-]{1,100}(?::[0-9]{1,5})?){0,4})([/?;][^\s"'<>`]{0,200})?"#;

/// `scheme://host/...?password=...` and JDBC `;password=...` forms without user info.
const CONN_PARAM_PATTERN: &str = r#"(?i)(?-u:\b)((?:jdbc:)?[a-z][a-z0-9]{1,15}(?:\+[a-z0-9]{1,15})?(?::[a-z0-9]{1,15})?)://[^\s@"'<>`]{1,300}?[?&;](?:password|pwd|pass)=([^\s&;"'<>`]{1,128})[^\s"'<>`]{0,300}"#;

static CONN_URI: LazyLock<(Re, usize)> =
    LazyLock::new(|| (compile(CONN_URI_PATTERN), reach(CONN_URI_PATTERN)));
static CONN_PARAM: LazyLock<(Re, usize)> =
    LazyLock::new(|| (compile(CONN_PARAM_PATTERN), reach(CONN_PARAM_PATTERN)));

/// The longest scheme the connection patterns accept: `jdbc:` and three parts of up to 16.
const MAX_SCHEME: usize = 53;

/// Where a connection URI can begin for each `://` in `text`: word starts (a letter after a non-word
/// byte) among the scheme bytes just before it, as `(start, position of ://)`, ascending.
fn scheme_starts(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut starts = Vec::new();
    for sep in memchr::memmem::find_iter(text.as_bytes(), b"://") {
        let mut lo = sep;
        while lo > 0
            && sep - lo < MAX_SCHEME
            && (b[lo - 1].is_ascii_alphanumeric() || matches!(b[lo - 1], b'+' | b':'))
        {
            lo -= 1;
        }
        for q in lo..sep {
            if b[q].is_ascii_alphabetic() && (q == 0 || !is_word_byte(b[q - 1])) {
                starts.push((q, sep));
            }
        }
    }
    starts
}

/// After `://` at `sep`: user info, that is a `:` and then an `@` before the authority could end.
/// A necessary condition of `CONN_URI` and `basic_auth_url` that rejects ordinary URLs cheaply.
fn has_user_info(b: &[u8], sep: usize) -> bool {
    let mut colon = false;
    for &c in b.iter().skip(sep + 3).take(1600) {
        match c {
            b':' => colon = true,
            b'@' => return colon,
            b'/' | b'"' | b'\'' | b'<' | b'>' | b'`' => return false,
            c if c.is_ascii_whitespace() => return false,
            _ => {}
        }
    }
    false
}

/// After `://` at `sep`: a `?`, `&` or `;` parameter named like a password, before the URI ends.
/// A necessary condition of `CONN_PARAM`.
fn has_password_param(b: &[u8], sep: usize) -> bool {
    let end = b.len().min(sep + 3 + 1300);
    for i in sep + 3..end {
        match b[i] {
            b'@' | b'"' | b'\'' | b'<' | b'>' | b'`' => return false,
            c if c.is_ascii_whitespace() => return false,
            b'?' | b'&' | b';' => {
                let rest = &b[i + 1..];
                if ["password=", "pwd=", "pass="]
                    .iter()
                    .any(|w| starts_with_ci(rest, w))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Which detector owns a URI scheme.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Db {
    Postgres,
    Mysql,
    Mongo,
    Redis,
    Amqp,
    Mssql,
    Jdbc,
    Other,
    Unrelated,
}

fn db_of_scheme(scheme: &str) -> Db {
    let s = scheme.to_ascii_lowercase();
    if s.starts_with("jdbc:") {
        return Db::Jdbc;
    }
    let base = s.split(['+', ':']).next().unwrap_or("");
    match base {
        "postgres" | "postgresql" | "pgsql" => Db::Postgres,
        "mysql" | "mariadb" | "mysqlx" => Db::Mysql,
        "mongodb" | "mongo" => Db::Mongo,
        "redis" | "rediss" | "valkey" => Db::Redis,
        "amqp" | "amqps" => Db::Amqp,
        "mssql" | "sqlserver" => Db::Mssql,
        "cockroachdb" | "cockroach" | "clickhouse" | "neo4j" | "couchbase" | "couchbases"
        | "couchdb" | "oracle" | "snowflake" | "db2" | "cassandra" | "influxdb" | "rethinkdb"
        | "memcached" | "elasticsearch" | "nats" | "tls" => Db::Other,
        _ => Db::Unrelated,
    }
}

/// A password that is a real value: not a stand-in and not the user name repeated
/// (`guest:guest`, `postgres:postgres` are the documented local defaults).
fn real_password(user: &str, pass: &str) -> bool {
    !placeholder_value(pass) && !pass.eq_ignore_ascii_case(user) && !pass.starts_with('%')
}

fn trim_url_end(text: &str, start: usize, mut end: usize) -> usize {
    while end > start
        && matches!(
            text.as_bytes()[end - 1],
            b'.' | b',' | b')' | b']' | b'}' | b'>' | b'\\'
        )
    {
        end -= 1;
    }
    end
}

/// Connection URIs of one database family. One cheap look at each `://` decides whether a URI with
/// credentials can start there; the patterns run anchored at those places only. A hit must also lie
/// near one of the detector's triggers (a `pgsql://` URI counts when `postgres` is close by).
fn conn_hits(
    text: &str,
    hits: &mut Vec<CodeHit>,
    want: Db,
    triggers: &AhoCorasick,
    max_len: usize,
) {
    let b = text.as_bytes();
    let starts = scheme_starts(text);
    if starts.is_empty() {
        return;
    }
    let near_trigger = |start: usize, end: usize| near_trigger(text, triggers, start, end, max_len);
    let (uri, uri_reach) = &*CONN_URI;
    let starts_uri = starts
        .iter()
        .filter(|&&(_, sep)| has_user_info(b, sep))
        .map(|&(q, _)| q);
    matches_from(text, uri, starts_uri, *uri_reach, |all| {
        let sep = all.start() + text[all.start()..].find("://").unwrap_or(0);
        if db_of_scheme(&text[all.start()..sep]) != want {
            return;
        }
        let Some((user, pass)) = user_and_password(text, sep, is_conn_host_byte) else {
            return;
        };
        if real_password(user, pass) {
            let end = trim_url_end(text, all.start(), all.end());
            if near_trigger(all.start(), end) {
                push_hit(hits, all.start(), end, None);
            }
        }
    });
    let (param, param_reach) = &*CONN_PARAM;
    let starts_param = starts
        .iter()
        .filter(|&&(_, sep)| has_password_param(b, sep))
        .map(|&(q, _)| q);
    matches_from(text, param, starts_param, *param_reach, |all| {
        let sep = all.start() + text[all.start()..].find("://").unwrap_or(0);
        if db_of_scheme(&text[all.start()..sep]) != want {
            return;
        }
        let Some(pass) = param_password(text, sep) else {
            return;
        };
        if real_password("", pass) {
            let end = trim_url_end(text, all.start(), all.end());
            if !hits
                .iter()
                .any(|h| h.start <= all.start() && all.start() < h.end)
                && near_trigger(all.start(), end)
            {
                push_hit(hits, all.start(), end, None);
            }
        }
    });
}

fn is_conn_host_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'[' | b']' | b'-')
}

/// The user and password of a URI matched at `scheme://` (`sep` is where `://` is), as the
/// pattern's greedy groups split them: the user runs to the first `:`, the password to the last `@`
/// a host byte follows, within its 256 characters and before a blank, `/`, quote or `<>`.
fn user_and_password(text: &str, sep: usize, host_byte: fn(u8) -> bool) -> Option<(&str, &str)> {
    let rest = &text[sep + 3..];
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    let mut at = None;
    for (n, (i, c)) in after.char_indices().enumerate() {
        if n > 256 || c.is_whitespace() || "/\"'<>`".contains(c) {
            break;
        }
        if c == '@' && n >= 1 && after.as_bytes().get(i + 1).is_some_and(|&b| host_byte(b)) {
            at = Some(i);
        }
    }
    Some((&rest[..colon], &after[..at?]))
}

/// The password of a URI matched by `CONN_PARAM` at `scheme://`: the value of the first
/// `?`/`&`/`;` parameter named `password`, `pwd` or `pass` (at most 300 characters in, before any
/// `@`, quote or blank) that has one, up to 128 characters.
fn param_password(text: &str, sep: usize) -> Option<&str> {
    let rest = &text[sep + 3..];
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if n > 300 || c.is_whitespace() || "@\"'<>`".contains(c) {
            return None;
        }
        if n >= 1 && matches!(c, '?' | '&' | ';') {
            let after = &rest[i + 1..];
            for key in ["password=", "pwd=", "pass="] {
                if starts_with_ci(after.as_bytes(), key) {
                    let value = &after[key.len()..];
                    let len: usize = value
                        .chars()
                        .take(128)
                        .take_while(|&c| !c.is_whitespace() && !"&;\"'<>`".contains(c))
                        .map(char::len_utf8)
                        .sum();
                    if len > 0 {
                        return Some(&value[..len]);
                    }
                }
            }
        }
    }
    None
}

/// Defines the code matcher of a connection-string detector for one database family.
macro_rules! conn_fn {
    ($name:ident, $id:literal, $db:expr) => {
        fn $name(text: &str, hits: &mut Vec<CodeHit>) {
            static TRIGGERS: LazyLock<AhoCorasick> = LazyLock::new(|| literals(spec_triggers($id)));
            conn_hits(text, hits, $db, &TRIGGERS, CONN_MAX_LEN);
        }
    };
}

/// How far a connection-string hit may lie from its trigger (the detectors' `max_len`).
const CONN_MAX_LEN: usize = 1100;

conn_fn!(
    find_postgres_conn,
    "postgres_connection_string",
    Db::Postgres
);
conn_fn!(find_mysql_conn, "mysql_connection_string", Db::Mysql);
conn_fn!(find_mongodb_conn, "mongodb_connection_string", Db::Mongo);
conn_fn!(find_redis_conn, "redis_connection_string", Db::Redis);
conn_fn!(find_amqp_conn, "amqp_connection_string", Db::Amqp);
conn_fn!(find_mssql_conn, "mssql_connection_string", Db::Mssql);
conn_fn!(find_jdbc_conn, "jdbc_connection_string", Db::Jdbc);
conn_fn!(find_other_db_conn, "database_connection_string", Db::Other);

/// ADO.NET / ODBC: `Server=...;User Id=...;Password=...;`. The span runs from the server key to the
/// end of the password value. Read by hand (see `adonet_at`) from the server keys in the few
/// `;`-separated parts before each `password=` or `pwd=`.
fn find_adonet_conn(text: &str, hits: &mut Vec<CodeHit>) {
    static TRIGGERS: LazyLock<AhoCorasick> =
        LazyLock::new(|| literals(spec_triggers("adonet_connection_string")));
    let b = text.as_bytes();
    let mut starts = Vec::new();
    for (at, _) in occurrences(&TRIGGERS, text) {
        // The password key follows a `;` (and blanks).
        let Some(semi) = b[..at].iter().rposition(|&c| c != b' ' && c != b'\t') else {
            continue;
        };
        if b[semi] != b';' {
            continue;
        }
        // The server key opens one of the nine parts before it; a part holds no quote or line
        // break, and all of them fit in 1200 bytes.
        let floor = at.saturating_sub(1200);
        let mut end = semi;
        for _ in 0..9 {
            let start = b[floor..end]
                .iter()
                .rposition(|&c| matches!(c, b';' | b'"' | b'\'' | b'\r' | b'\n'))
                .map_or(floor, |i| floor + i + 1);
            for p in start..end {
                if (p == 0 || !is_word_byte(b[p - 1])) && adonet_key_len(&b[p..]).is_some() {
                    starts.push(p);
                }
            }
            if start == floor || b[start - 1] != b';' {
                break;
            }
            end = start - 1;
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut done = 0;
    for p in starts {
        if p < done {
            continue;
        }
        let Some((end, value_start)) = adonet_at(text, p) else {
            continue;
        };
        done = end;
        let value = text[value_start..end].trim_end();
        if !value.contains(' ') && real_password("", value) {
            push_hit(hits, p, value_start + value.len(), None);
        }
    }
}

/// The server keys an ADO.NET or ODBC connection string opens with, in the pattern's order.
const ADONET_KEYS: [&str; 7] = [
    "server",
    "data source",
    "host",
    "address",
    "addr",
    "network address",
    "datasource",
];

fn adonet_key_len(b: &[u8]) -> Option<usize> {
    ADONET_KEYS
        .iter()
        .find(|k| starts_with_ci(b, k))
        .map(|k| k.len())
}

/// A part's characters: anything but `;`, quotes and line breaks.
fn is_part_char(c: char) -> bool {
    !matches!(c, ';' | '"' | '\'' | '\r' | '\n')
}

/// Characters of a part from `from`, at most `max`: their end and the character after them.
fn part_run(text: &str, from: usize, max: usize) -> (usize, usize, Option<char>) {
    let mut end = from;
    let mut count = 0;
    for c in text[from..].chars() {
        if count == max || !is_part_char(c) {
            return (end, count, Some(c));
        }
        end += c.len_utf8();
        count += 1;
    }
    (end, count, None)
}

/// The ADO.NET pattern
/// `(?i)\b(?:server|data source|host|address|addr|network address|datasource)[ \t]*=[^;"'\r\n]{1,200};`
/// `(?:[^;"'\r\n]{0,100};){0,8}?[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;"'\r\n]{1,128})`
/// matched at `at`: the match's end and where its value starts. Every part runs to the next `;`,
/// so the only choice is how many parts come before the password key: the fewest that work.
fn adonet_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let blanks = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    for key in ADONET_KEYS {
        if !starts_with_ci(&b[at..], key) {
            continue;
        }
        let i = blanks(at + key.len());
        if b.get(i) != Some(&b'=') {
            continue;
        }
        let (end, count, next) = part_run(text, i + 1, 200);
        if count == 0 || next != Some(';') {
            continue;
        }
        let mut i = end + 1;
        for parts in 0..=8 {
            if let Some(found) = adonet_password_at(text, i) {
                return Some(found);
            }
            if parts == 8 {
                break;
            }
            let (end, _, next) = part_run(text, i, 100);
            if next != Some(';') {
                break;
            }
            i = end + 1;
        }
    }
    None
}

/// `[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;"'\r\n]{1,128})` at `from`: the end and the value's start.
fn adonet_password_at(text: &str, from: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let key = ["password", "pwd"]
        .iter()
        .find(|k| starts_with_ci(&b[i..], k))?;
    i += key.len();
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    let eq_end = i + 1;
    let mut value_start = eq_end;
    while value_start < b.len() && matches!(b[value_start], b' ' | b'\t') {
        value_start += 1;
    }
    let (end, count, _) = part_run(text, value_start, 128);
    if count > 0 {
        return Some((end, value_start));
    }
    // No value after the blanks: the last blank is one (blanks are part characters).
    (value_start > eq_end).then(|| (value_start, value_start - 1))
}

/// The schemes `basic_auth_url` knows, lower case.
const BASIC_AUTH_SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "sftp", "ssh", "git", "svn", "smtp", "smtps", "imap", "imaps",
    "pop3", "pop3s", "ldap", "ldaps", "ws", "wss", "socks5", "socks5h", "rtsp", "s3", "webdav",
];

/// `https://user:password@host`: the span is scheme, credentials and host.
fn find_basic_auth_url(text: &str, hits: &mut Vec<CodeHit>) {
    const PATTERN: &str = r#"(?i)(?-u:\b)(?:https?|ftps?|sftp|ssh|git|svn|smtps?|imaps?|pop3s?|ldaps?|wss?|socks5h?|rtsp|s3|webdav)://([^\s:@/"'<>`]{1,128}):([^\s/"'<>`]{1,256})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?::[0-9]{1,5})?)"#;
    static RE: LazyLock<Re> = LazyLock::new(|| compile(PATTERN));
    // User and password take at most 1.5 KB; the rest is room for the host name.
    const REACH: usize = 2048;
    let b = text.as_bytes();
    // The scheme is the whole word before `://` (the pattern starts at a word boundary), and user
    // info must follow: most URLs fail one of the two and cost nothing more.
    let starts = memchr::memmem::find_iter(text.as_bytes(), b"://").filter_map(|sep| {
        let start = b[..sep]
            .iter()
            .rposition(|&c| !is_word_byte(c))
            .map_or(0, |i| i + 1);
        let scheme = &b[start..sep];
        let known = BASIC_AUTH_SCHEMES
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s.as_bytes()));
        (known && has_user_info(b, sep)).then_some(start)
    });
    matches_from(text, &RE, starts, REACH, |all| {
        let sep = all.start() + text[all.start()..].find("://").unwrap_or(0);
        let host_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
        let Some((user, pass)) = user_and_password(text, sep, host_byte) else {
            return;
        };
        // `https://TOKEN:x-oauth-basic@host` carries the secret in the user part.
        let secret = if pass.eq_ignore_ascii_case("x-oauth-basic") {
            user
        } else {
            pass
        };
        if secret.bytes().all(|b| b.is_ascii_digit()) && secret.len() <= 5 {
            return;
        }
        if real_password(user, secret) && !placeholder_value(user) {
            push_hit(hits, all.start(), all.end(), None);
        }
    });
}

/// `Authorization: Basic <base64 of user:password>`: the span is the base64 credentials.
fn find_basic_auth_header(text: &str, hits: &mut Vec<CodeHit>) {
    static RE: LazyLock<Re> = LazyLock::new(|| {
        compile(
            r#"(?i)(?:authorization|auth)["']?[ \t]*[:=][ \t]*["']?basic[ \t]+([A-Za-z0-9+/]{6,400}={0,2})"#,
        )
    });
    static BASIC: LazyLock<AhoCorasick> = LazyLock::new(|| literals(["basic"]));
    let b = text.as_bytes();
    // `basic` counts only as the value of a `:` or `=` and followed by blanks: not in prose.
    let mut spans = occurrences(&BASIC, text);
    spans.retain(|&(start, end)| {
        let mut i = start;
        if i > 0 && matches!(b[i - 1], b'"' | b'\'') {
            i -= 1;
        }
        while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        i > 0 && matches!(b[i - 1], b':' | b'=') && matches!(b.get(end), Some(b' ' | b'\t'))
    });
    captures_near(text, &RE, &spans, 64, 480, |caps| {
        let Some((start, value)) = group(text, caps, 1) else {
            return;
        };
        if b.get(start + value.len())
            .is_some_and(|&c| is_token_byte(c))
        {
            return;
        }
        let Some(decoded) = b64_decode(value) else {
            return;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return;
        };
        let Some((user, pass)) = decoded.split_once(':') else {
            return;
        };
        if !user.is_empty()
            && !pass.is_empty()
            && decoded.chars().all(|c| !c.is_control())
            && real_password(user, pass)
        {
            push_hit(hits, start, start + value.len(), None);
        }
    });
}

/// A bearer token: long, random, not a template. JWTs match here too; the `jwt` detector is more
/// confident and wins the overlap. Read by hand after each `bearer`: blanks, then a run of token
/// bytes (at least 16) and up to two `=`.
fn find_bearer_token(text: &str, hits: &mut Vec<CodeHit>) {
    static BEARER: LazyLock<AhoCorasick> = LazyLock::new(|| literals(["bearer"]));
    let b = text.as_bytes();
    let is_token = |c: u8| c.is_ascii_alphanumeric() || b"._~+/-".contains(&c);
    let mut done = 0;
    for m in BEARER.find_iter(text) {
        if m.start() < done {
            continue;
        }
        let mut i = m.end();
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == m.end() {
            continue;
        }
        let start = i;
        while i < b.len() && is_token(b[i]) {
            i += 1;
        }
        if i - start < 16 {
            continue;
        }
        let mut end = i;
        while end < b.len() && end - i < 2 && b[end] == b'=' {
            end += 1;
        }
        done = end;
        if m.start() > 0 && is_word_byte(b[m.start() - 1]) {
            continue;
        }
        let v = text[start..end].trim_end_matches('.');
        if v.len() > 4096 || !keyed_value(v) {
            continue;
        }
        push_hit(hits, start, start + v.len(), None);
    }
}

/// API keys in HTTP headers (`X-API-Key: ...`, `X-Auth-Token: ...`, `PRIVATE-TOKEN: ...`).
fn find_api_key_header(text: &str, hits: &mut Vec<CodeHit>) {
    static RE: LazyLock<Re> = LazyLock::new(|| {
        compile(
            r#"(?i)(?-u:\b)(?:x-api-key|api-key|x-apikey|apikey|x-auth-token|x-access-token|x-api-token|x-secret-key|private-token|x-functions-key|x-goog-api-key|x-vault-token|x-consul-token|x-figma-token|x-shopify-access-token|x-octopus-apikey|xi-api-key)["']?[ \t]*:[ \t]*["']?([A-Za-z0-9._~+/=-]{16,512})"#,
        )
    });
    static TRIGGERS: LazyLock<AhoCorasick> =
        LazyLock::new(|| literals(spec_triggers("api_key_header")));
    let b = text.as_bytes();
    // A header name is followed (after the rest of the name, a quote and blanks) by a colon.
    let mut spans = occurrences(&TRIGGERS, text);
    spans.retain(|&(_, end)| {
        let mut i = end;
        while i < b.len() && i - end < 32 && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        if i < b.len() && matches!(b[i], b'"' | b'\'') {
            i += 1;
        }
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        b.get(i) == Some(&b':')
    });
    captures_near(text, &RE, &spans, 32, 640, |caps| {
        let Some((start, v)) = group(text, caps, 1) else {
            return;
        };
        if b.get(start + v.len()).is_some_and(|&c| is_token_byte(c)) {
            return;
        }
        if keyed_value(v) && !is_code_reference(v) {
            push_hit(hits, start, start + v.len(), None);
        }
    });
}

/// `curl -u user:password` and `--user user:password`: the span is `user:password`.
fn find_curl_user(text: &str, hits: &mut Vec<CodeHit>) {
    static RE: LazyLock<Re> = LazyLock::new(|| {
        compile(
            r#"(?im)(?-u:\b)curl(?-u:\b)[^\r\n]{0,300}?[ \t](?:-u[ \t]*|--user[ \t=]+)["']?([^\s"':]{1,64}):([^\s"']{1,128})"#,
        )
    });
    static CURL: LazyLock<AhoCorasick> = LazyLock::new(|| literals(["curl"]));
    let b = text.as_bytes();
    // The option must be on the command's own line.
    let starts = CURL.find_iter(text).map(|m| m.start()).filter(|&at| {
        let line = &b[at..];
        let line = &line[..line
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .unwrap_or(line.len())];
        line.windows(2).any(|w| w == b"-u")
    });
    captures_from(text, &RE, starts, 2400, |caps| {
        let (Some((user_start, user)), Some((pass_start, p))) =
            (group(text, caps, 1), group(text, caps, 2))
        else {
            return;
        };
        if p.len() >= 4
            && !p.bytes().all(|b| b.is_ascii_digit())
            && real_password(user, p)
            && !placeholder_value(user)
        {
            push_hit(hits, user_start, pass_start + p.len(), None);
        }
    });
}

// =================================================================================================
// Passwords and generic secrets in assignments
// =================================================================================================

/// The credential word (`pass`, `pwd`, `secret`, `token`, `key`, `auth`, `credential`: an assignment
/// is read from each) that starts at `at`, ASCII case-insensitively, as its length. The first four
/// bytes, lower-cased, decide it (`| 0x20` lower-cases letters and turns no other byte into one).
#[inline]
fn credential_word_at(b: &[u8], at: usize) -> Option<usize> {
    const fn word(w: &[u8; 4]) -> u32 {
        u32::from_le_bytes(*w)
    }
    let rest = &b[at..];
    let head = match rest {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        [a, b, c] => u32::from_le_bytes([*a, *b, *c, 0]),
        _ => return None,
    } | 0x2020_2020;
    match head {
        h if h == word(b"pass") || h == word(b"auth") => Some(4),
        h if h & 0x00ff_ffff == word(b"pwd\0") || h & 0x00ff_ffff == word(b"key\0") => Some(3),
        h if h == word(b"secr") && starts_with_ci(rest, "secret") => Some(6),
        h if h == word(b"toke") && starts_with_ci(rest, "token") => Some(5),
        h if h == word(b"cred") && starts_with_ci(rest, "credential") => Some(10),
        _ => None,
    }
}

/// `[A-Za-z0-9_.-]`, the bytes of a key, as a table: the key scans test every byte.
static KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-';
        c += 1;
    }
    table
};

#[inline]
fn is_key_byte(c: u8) -> bool {
    KEY_BYTES[c as usize]
}

/// The credential words that may start an assignment, as `(start, end)` in order. A word starts one
/// only in the key just before a separator (the key run, up to two quotes and up to four blanks lie
/// between them), so this finds the separators, which a word-at-a-time test finds faster than a
/// case-insensitive search finds seven words, and looks for words in the few bytes before each.
fn assignment_words(text: &str) -> Vec<(usize, usize)> {
    // The word and the (at most 40) key bytes after it.
    const LONGEST_KEY: usize = 10 + 40;
    let b = text.as_bytes();
    let mut words = Vec::new();
    let mut scanned = 0;
    for_each_separator(b, |sep| {
        let mut i = sep;
        while i > 0 && sep - i < 4 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        let quotes_end = i;
        while i > 0 && quotes_end - i < 2 && matches!(b[i - 1], b'"' | b'\'' | b']') {
            i -= 1;
        }
        let key_end = i;
        while i > 0 && key_end - i < LONGEST_KEY && is_key_byte(b[i - 1]) {
            i -= 1;
        }
        // Keys of separators close together can share bytes; look at each byte once. The shortest
        // word has three bytes.
        for at in i.max(scanned)..key_end.saturating_sub(2) {
            // The first two letters of every word, which rule out most key bytes at once.
            if !matches!(
                [b[at] | 0x20, b[at + 1] | 0x20],
                [b'p', b'a' | b'w']
                    | [b'a', b'u']
                    | [b'k', b'e']
                    | [b's', b'e']
                    | [b't', b'o']
                    | [b'c', b'r']
            ) {
                continue;
            }
            if let Some(len) = credential_word_at(b, at) {
                words.push((at, at + len));
            }
        }
        scanned = scanned.max(key_end);
    });
    words
}

/// Calls `f` with the position of every `:` and `=`, in order. Most text has neither for long
/// stretches, which `memchr2` skips many bytes at a time.
fn for_each_separator(b: &[u8], f: impl FnMut(usize)) {
    memchr::memchr2_iter(b':', b'=', b).for_each(f);
}

/// Where one `key <sep> value` sits in the text (the key runs from the credential word to `key_end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AssignmentSpan {
    key_end: usize,
    sep: (usize, usize),
    value: (usize, usize),
}

/// `key = value`, `key: value`, `"key": "value"`, `key := value`, `key => value`, in any language or
/// config format, read at a credential word at `at` (`word` bytes long). It reads what the pattern
/// (?i)((?:pass|pwd|secret|token|key|auth|credential)[A-Za-z0-9_.-]{0,40})(["'\]]{0,2})[ \t]{0,4}
/// (:=|=>|==?|:)[ \t]{0,4}("[^"\r\n]{0,300}"|'[^'\r\n]{0,300}'|`[^`\r\n]{0,300}`|[^\s"'`,;&<>(){}\[\]]{1,300})
/// matches there: each part's greedy run is the only one the next part can follow, except the
/// separator, whose alternatives are tried in the pattern's order.
fn assignment_at(text: &str, at: usize, word: usize) -> Option<AssignmentSpan> {
    let b = text.as_bytes();
    let mut i = at + word;
    let limit = (i + 40).min(b.len());
    while i < limit && is_key_byte(b[i]) {
        i += 1;
    }
    if i < b.len() && is_key_byte(b[i]) {
        return None;
    }
    let key_end = i;
    while i < b.len() && i - key_end < 2 && matches!(b[i], b'"' | b'\'' | b']') {
        i += 1;
    }
    let blanks = i;
    while i < b.len() && i - blanks < 4 && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    for sep in [":=", "=>", "==", "=", ":"] {
        if b[i..].starts_with(sep.as_bytes()) {
            if let Some(value) = assignment_value(text, i + sep.len()) {
                return Some(AssignmentSpan {
                    key_end,
                    sep: (i, i + sep.len()),
                    value,
                });
            }
        }
    }
    None
}

/// The value after a separator: blanks, then a quoted string on one line or a bare run of up to 300
/// characters (not blanks, quotes or `,;&<>(){}[]`). Counts are in characters, as the pattern's.
fn assignment_value(text: &str, from: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() && i - from < 4 && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let start = i;
    match b.get(start) {
        Some(&q @ (b'"' | b'\'' | b'`')) => {
            for (n, (off, c)) in text[start + 1..].char_indices().enumerate() {
                if c == q as char {
                    return Some((start, start + 1 + off + 1));
                }
                if c == '\r' || c == '\n' || n == 300 {
                    return None;
                }
            }
            None
        }
        _ => {
            let mut end = start;
            for (n, c) in text[start..].chars().enumerate() {
                if n == 300 || c.is_whitespace() || "\"'`,;&<>(){}[]".contains(c) {
                    break;
                }
                end += c.len_utf8();
            }
            (end > start).then_some((start, end))
        }
    }
}

/// `<password>value</password>` in XML configs.
const XML_ASSIGNMENT: &str = r#"(?i)<([A-Za-z0-9_:.-]{0,40}(?:pass|pwd|secret|token|key|auth|credential)[A-Za-z0-9_.-]{0,40})>([^<>\s]{1,300})</"#;

/// `--password value` and `--api-token value` on command lines.
const FLAG_ASSIGNMENT: &str = r#"(?im)(?:^|[ \t])--([A-Za-z0-9_-]{0,30}?(?:pass|pwd|secret|token|key|auth|credential)[A-Za-z0-9_-]{0,30})[ \t]+("[^"\r\n]{1,300}"|'[^'\r\n]{1,300}'|[^\s"'`;&|<>-][^\s"'`;&|<>]{0,299})"#;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum KeyKind {
    Password,
    Secret,
    Neither,
}

/// The longest key looked at, in bytes. Keys come from the assignment readers, which bound them
/// well below this (64 bytes before the credential word, the word and 40 after it).
const MAX_KEY: usize = 160;

/// Identifier words (lower case, split at `_ . -` and camelCase humps).
fn key_words(key: &str) -> KeyWords {
    let b = &key.as_bytes()[..key.len().min(MAX_KEY)];
    let mut words = KeyWords {
        lower: [0; MAX_KEY],
        ranges: [(0, 0); MAX_KEY],
        count: 0,
    };
    for (i, c) in b.iter().enumerate() {
        words.lower[i] = c.to_ascii_lowercase();
    }
    let push = |words: &mut KeyWords, s: usize, e: usize| {
        words.ranges[words.count] = (s as u8, e as u8);
        words.count += 1;
    };
    let mut start = None;
    for i in 0..b.len() {
        let c = b[i];
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                push(&mut words, s, i);
            }
            continue;
        }
        if let Some(s) = start {
            let hump = c.is_ascii_uppercase()
                && (b[i - 1].is_ascii_lowercase()
                    || b[i - 1].is_ascii_digit()
                    || (b[i - 1].is_ascii_uppercase()
                        && b.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
            if hump {
                push(&mut words, s, i);
                start = Some(i);
            }
        } else {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push(&mut words, s, b.len());
    }
    words
}

/// The words of a key, lower-cased, as slices of one buffer (on the stack: this runs for every
/// assignment read).
struct KeyWords {
    lower: [u8; MAX_KEY],
    ranges: [(u8, u8); MAX_KEY],
    count: usize,
}

impl KeyWords {
    fn word(&self, (s, e): (u8, u8)) -> &str {
        // The key bytes are ASCII here (any other byte ends a word), so this never fails.
        std::str::from_utf8(&self.lower[s as usize..e as usize]).unwrap_or("")
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.ranges[..self.count].iter().map(|&r| self.word(r))
    }

    fn last(&self) -> Option<&str> {
        self.ranges[..self.count].last().map(|&r| self.word(r))
    }
}

/// Last words that make the key describe a credential rather than hold one.
const DENY_LAST: &[&str] = &[
    "id",
    "ids",
    "uuid",
    "name",
    "names",
    "type",
    "types",
    "url",
    "uri",
    "urls",
    "endpoint",
    "path",
    "file",
    "filename",
    "dir",
    "prefix",
    "suffix",
    "header",
    "field",
    "label",
    "placeholder",
    "description",
    "desc",
    "hint",
    "format",
    "kind",
    "version",
    "env",
    "var",
    "variable",
    "length",
    "len",
    "size",
    "count",
    "min",
    "max",
    "limit",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "timeout",
    "age",
    "at",
    "policy",
    "pattern",
    "regex",
    "rule",
    "rules",
    "mode",
    "enabled",
    "required",
    "provider",
    "location",
    "hash",
    "hashed",
    "digest",
    "checksum",
    "fingerprint",
    "index",
    "column",
    "param",
    "params",
    "schema",
    "option",
    "options",
    "flag",
    "valid",
    "validation",
    "error",
    "errors",
    "message",
    "msg",
    "prompt",
    "text",
    "input",
    "reset",
    "changed",
    "updated",
    "created",
    "strength",
    "history",
    "attempts",
    "manager",
    "store",
    "helper",
    "method",
    "scheme",
    "style",
    "class",
    "color",
    "source",
    "ref",
    "reference",
    "arn",
    "alias",
    "algorithm",
    "alg",
    "usage",
    "used",
    "bits",
    "exists",
    "set",
    "is",
    "has",
    "status",
    "state",
    "template",
    "question",
    "storage",
    "level",
    "list",
    "map",
    "ring",
];

/// Words anywhere in the key that make it something else (a cache key, a token counter, a public key).
const DENY_ANY: &[&str] = &[
    "public",
    "pub",
    "publishable",
    "cache",
    "idempotency",
    "partition",
    "sort",
    "primary",
    "foreign",
    "unique",
    "tokenizer",
    "tokenize",
    "tokens",
    "keys",
    "keyboard",
    "keyword",
    "keywords",
    "monkey",
    "donkey",
    "turkey",
    "hockey",
    "jockey",
    "whiskey",
    "hotkey",
    "keycode",
    "keypress",
    "keydown",
    "keyup",
    "keyframe",
    "keyframes",
    "num",
    "total",
    "bypass",
    "compass",
    "surpass",
    "trespass",
    "passthrough",
    "passive",
    "author",
    "authors",
    "authority",
    "authorized",
    "authenticated",
    "forgot",
    "max",
    "min",
    "show",
    "toggle",
    "visible",
    "mask",
    "is",
    "has",
    "use",
    "requires",
    "require",
    "display",
    "sitekey",
    "site",
    "registry",
    "hash",
    "page",
    "cursor",
    "continuation",
    "sync",
    "next",
];

/// Words ending in `pass` that are not about passwords (`LOCALBYPASS`, `compass`).
const NOT_PASS: &[&str] = &[
    "bypass",
    "compass",
    "surpass",
    "trespass",
    "overpass",
    "underpass",
];

/// `DENY_LAST` and `DENY_ANY`, sorted for binary search.
static DENY_SORTED: LazyLock<(Vec<&str>, Vec<&str>)> = LazyLock::new(|| {
    let mut last = DENY_LAST.to_vec();
    let mut any = DENY_ANY.to_vec();
    last.sort_unstable();
    any.sort_unstable();
    (last, any)
});

fn classify_key(key: &str) -> KeyKind {
    let words = key_words(key);
    let Some(last) = words.last() else {
        return KeyKind::Neither;
    };
    let (deny_last, deny_any) = &*DENY_SORTED;
    if deny_last.binary_search(&last).is_ok()
        || words.iter().any(|w| deny_any.binary_search(&w).is_ok())
    {
        return KeyKind::Neither;
    }
    let password = words.iter().any(|w| {
        matches!(w, "passphrase" | "passcode" | "pword")
            || w.ends_with("password")
            || w.ends_with("passwd")
            || w.ends_with("pwd")
            || (w.ends_with("pass") && !NOT_PASS.iter().any(|n| w.ends_with(n)))
    });
    if password {
        return KeyKind::Password;
    }
    let secret = words.iter().any(|w| {
        w.ends_with("secret")
            || w.ends_with("secrets")
            || w.ends_with("token")
            || w.ends_with("key")
            || w.ends_with("credential")
            || w.ends_with("credentials")
            || w == "auth"
            || w.starts_with("secret")
            || w.starts_with("apikey")
    });
    if secret {
        KeyKind::Secret
    } else {
        KeyKind::Neither
    }
}

/// One `key <sep> value` found in text.
struct Assignment<'t> {
    key: &'t str,
    value: &'t str,
    value_start: usize,
    quoted: bool,
}

/// Every assignment whose key contains a credential word, from the three syntaxes above. Each is
/// read only where a credential word occurs, and the XML and flag forms only when the text has
/// their `</` or `--` at all.
fn assignments(text: &str, mut f: impl FnMut(Assignment<'_>)) {
    static XML: LazyLock<(Re, usize)> =
        LazyLock::new(|| (compile(XML_ASSIGNMENT), reach(XML_ASSIGNMENT)));
    static FLAG: LazyLock<Re> = LazyLock::new(|| compile(FLAG_ASSIGNMENT));
    let bytes = text.as_bytes();
    let words = assignment_words(text);
    // As a leftmost-first search would: an assignment found at a word hides the words inside it.
    let mut done = 0;
    for &(at, end) in &words {
        if at < done {
            continue;
        }
        let Some(a) = assignment_at(text, at, end - at) else {
            continue;
        };
        done = a.value.1;
        let sep = &text[a.sep.0..a.sep.1];
        if sep == "==" || text[a.sep.1..].starts_with('=') {
            continue;
        }
        // `NAME: Type = value` (Rust, TypeScript, Python annotations): what follows the colon is a
        // type, not the value.
        if sep == ":"
            && text[a.value.1..]
                .trim_start_matches([' ', '\t'])
                .strip_prefix('=')
                .is_some_and(|rest| !rest.starts_with('='))
        {
            continue;
        }
        // The match starts at a credential word that may sit inside a long identifier; take the
        // whole of it. Bounded so that a hit depends only on nearby text (streaming relies on it).
        let mut key_start = at;
        while key_start > 0
            && at - key_start < 64
            && (is_word_byte(bytes[key_start - 1]) || matches!(bytes[key_start - 1], b'.' | b'-'))
        {
            key_start -= 1;
        }
        let (value, value_start, quoted) = unquote(&text[a.value.0..a.value.1], a.value.0);
        f(Assignment {
            key: &text[key_start..a.key_end],
            value,
            value_start,
            quoted,
        });
    }
    if memchr::memmem::find(bytes, b"</").is_some() {
        // `<` and a tag name that holds a credential word, then `>`.
        let opens = text.match_indices('<').map(|(at, _)| at).filter(|&at| {
            let name = &bytes[at + 1..];
            let len = name
                .iter()
                .take(91)
                .take_while(|&&c| is_key_byte(c) || c == b':')
                .count();
            name.get(len) == Some(&b'>') && (0..len).any(|i| credential_word_at(name, i).is_some())
        });
        let (re, reach) = &*XML;
        captures_from(text, re, opens, *reach, |caps| {
            let (Some((_, key)), Some((value_start, value))) =
                (group(text, caps, 1), group(text, caps, 2))
            else {
                return;
            };
            f(Assignment {
                key,
                value,
                value_start,
                quoted: true,
            });
        });
    }
    if memchr::memmem::find(bytes, b"--").is_some() {
        // `--` at a line start or after a blank (where the match starts), and a flag name that
        // holds a credential word, then a blank.
        let starts = memchr::memmem::find_iter(bytes, b"--").filter_map(|at| {
            let start = match at.checked_sub(1).map(|i| bytes[i]) {
                None | Some(b'\n') => at,
                Some(b' ' | b'\t') => at - 1,
                Some(_) => return None,
            };
            let name = &bytes[at + 2..];
            let len = name
                .iter()
                .take(71)
                .take_while(|&&c| is_word_byte(c) || c == b'-')
                .count();
            let flag = matches!(name.get(len), Some(b' ' | b'\t'))
                && (0..len).any(|i| credential_word_at(name, i).is_some());
            flag.then_some(start)
        });
        // The blanks before the value are unbounded in the pattern; a value that far away is not
        // this flag's.
        captures_from(text, &FLAG, starts, 2048, |caps| {
            let (Some((_, key)), Some((start, raw))) = (group(text, caps, 1), group(text, caps, 2))
            else {
                return;
            };
            let (value, value_start, quoted) = unquote(raw, start);
            f(Assignment {
                key,
                value,
                value_start,
                quoted,
            });
        });
    }
}

fn unquote(raw: &str, start: usize) -> (&str, usize, bool) {
    let b = raw.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'' | b'`') && b[b.len() - 1] == b[0] {
        (&raw[1..raw.len() - 1], start + 1, true)
    } else {
        (raw, start, false)
    }
}

/// Prefixes of references to a secret kept elsewhere (secret managers, vaults, files).
const REFERENCE_PREFIXES: &[&str] = &[
    "arn:",
    "op://",
    "vault:",
    "sm://",
    "secret://",
    "ref+",
    "projects/",
    "keyvault:",
    "akv://",
    "file:",
    "env:",
    "awssm:",
    "gcpsm:",
    "azkv:",
    "secretsmanager:",
    "ssm:",
];

fn looks_like_path_or_url(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    v.starts_with(['/', '~', '.'])
        || v.contains("://")
        || (v.len() > 2 && v.as_bytes()[1] == b':' && v.as_bytes()[2] == b'\\')
        || REFERENCE_PREFIXES.iter().any(|p| lower.starts_with(p))
        || (v.contains('/') && has_file_extension(v))
}

/// `backups/db-2024.sql.gz`, `img/logo.png`: a short lower-case extension after the last dot.
fn has_file_extension(v: &str) -> bool {
    v.rsplit_once('.').is_some_and(|(_, ext)| {
        (1..=5).contains(&ext.len())
            && ext
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && ext.bytes().any(|b| b.is_ascii_lowercase())
    })
}

/// `name_2`, `_private_field`: lower-case words and digits joined by underscores.
fn is_snake_identifier(v: &str) -> bool {
    v.contains('_')
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !v
            .trim_start_matches('_')
            .starts_with(|c: char| c.is_ascii_digit())
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// A password value: a literal (quoted, or unquoted but not code), not a stand-in, not a path.
fn password_value(value: &str, quoted: bool) -> bool {
    let v = value.trim();
    if v.len() < 6 || v.len() > 128 || v.contains(char::is_whitespace) || placeholder_value(v) {
        return false;
    }
    if looks_like_path_or_url(v) {
        return false;
    }
    if !quoted {
        if is_code_reference(v) {
            return false;
        }
        // Unquoted, a value without a digit is far more often a variable, a command or a type
        // (`password = user_password`, `$pwd = Get-Location`) than a password, and so is a
        // snake_case name (`_bindgen_ty_22`, `pw_hash_v2`).
        if !v.bytes().any(|b| b.is_ascii_digit()) || is_snake_identifier(v) {
            return false;
        }
    }
    // A lone lower-case word is a type, a state or prose, not a password someone chose.
    let all_lower = v.bytes().all(|b| b.is_ascii_lowercase());
    !(all_lower && (!quoted || v.len() < 8))
}

/// The cheap part of `generic_value`: length, characters, letters and a digit. Most assignments
/// fail it, so it runs before the key is classified.
fn generic_shape(v: &str) -> bool {
    if v.len() < 16
        || v.len() > 256
        || !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=_.~:!#%^*-".contains(&b))
    {
        return false;
    }
    let letters = v.bytes().filter(u8::is_ascii_alphabetic).count();
    letters >= 3 && v.bytes().any(|b| b.is_ascii_digit())
}

/// A generic secret value: long, random, mixes letters and digits, not a path, not code.
/// The cheap checks come first: most candidates are ordinary assignments.
fn generic_value(key: &str, value: &str, quoted: bool) -> bool {
    let v = value;
    if !generic_shape(v) {
        return false;
    }
    // Dotted or dashed names (`com.example.app`, `gpt-4o-mini-2024-07-18`, `db-dump-20240501`) are
    // made of words and numbers; a secret has a long piece that mixes character classes.
    let random_piece = v.split(|c: char| !c.is_ascii_alphanumeric()).any(|piece| {
        let b = piece.as_bytes();
        let classes = [
            b.iter().any(u8::is_ascii_uppercase),
            b.iter().any(u8::is_ascii_lowercase),
            b.iter().any(u8::is_ascii_digit),
        ];
        b.len() >= 8
            && classes.iter().filter(|&&c| c).count() >= 2
            && (b.iter().any(u8::is_ascii_digit) || b.len() >= 16)
    });
    if !random_piece {
        return false;
    }
    let hex = v.bytes().all(|b| b.is_ascii_hexdigit());
    let min = match (hex, v.len() < 24) {
        (true, true) => 2.8,
        (true, false) => 3.0,
        (false, true) => 3.2,
        (false, false) => 3.5,
    };
    if shannon_entropy(v) < min
        || looks_like_path_or_url(v)
        || (!quoted && is_code_reference(v))
        || placeholder_value(v)
    {
        return false;
    }
    // A bare `key` holding a UUID is an idempotency or cache key far more often than a secret.
    !(is_uuid(v) && key.eq_ignore_ascii_case("key"))
}

fn find_password_assignment(text: &str, hits: &mut Vec<CodeHit>) {
    let base = hits.len();
    assignments(text, |a| {
        // The value's length rules most out before the key is looked at.
        let len = a.value.trim().len();
        if (6..=128).contains(&len)
            && classify_key(a.key) == KeyKind::Password
            && password_value(a.value, a.quoted)
        {
            let v = a.value.trim_end();
            let lead = a.value.len() - a.value.trim_start().len();
            push_hit(hits, a.value_start + lead, a.value_start + v.len(), None);
        }
    });
    sort_dedup_from(hits, base);
}

fn find_generic_secret(text: &str, hits: &mut Vec<CodeHit>) {
    let base = hits.len();
    assignments(text, |a| {
        if generic_shape(a.value)
            && classify_key(a.key) == KeyKind::Secret
            && generic_value(a.key, a.value, a.quoted)
        {
            push_hit(hits, a.value_start, a.value_start + a.value.len(), None);
        }
    });
    sort_dedup_from(hits, base);
}

/// "the password is Tr0ub4dor&3": prose with no assignment syntax, so the value must look chosen
/// (letters with digits or symbols).
fn find_password_prose(text: &str, hits: &mut Vec<CodeHit>) {
    static RE: LazyLock<Re> = LazyLock::new(|| {
        compile(
            r#"(?i)(?-u:\b)(?:password|passcode|passphrase|passwd)[ \t]+(?:is|was|will be)[ \t]*:?[ \t]+["'`“]?([^\s"'`”]{6,64})"#,
        )
    });
    static TRIGGERS: LazyLock<AhoCorasick> =
        LazyLock::new(|| literals(spec_triggers("password_in_prose")));
    let b = text.as_bytes();
    // The word must be followed by blanks and `is`, `was` or `will be`.
    let starts = TRIGGERS
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .filter(|&(_, end)| {
            let mut i = end;
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            i > end
                && ["is", "was", "will be"]
                    .iter()
                    .any(|w| starts_with_ci(&b[i..], w))
        });
    captures_from(text, &RE, starts.map(|(start, _)| start), 512, |caps| {
        let Some((start, value)) = group(text, caps, 1) else {
            return;
        };
        let v = value.trim_end_matches(['.', ',', ';', ':', ')']);
        let has_letter = v.bytes().any(|b| b.is_ascii_alphabetic());
        let has_other = v.bytes().any(|b| !b.is_ascii_alphabetic() && b != b'_');
        if v.len() >= 6
            && has_letter
            && has_other
            && !placeholder_value(v)
            && !looks_like_path_or_url(v)
            && !is_code_reference(v)
        {
            push_hit(hits, start, start + v.len(), None);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::detector::Kind;
    use crate::dlp::testing::{assert_finds, assert_not_finds, found};
    use regex::Regex;
    use std::collections::HashSet;

    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const HEX: &str = "0123456789abcdef";
    const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const LOWER_NUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    const DIGITS: &str = "0123456789";
    const B32L: &str = "abcdefghijklmnopqrstuvwxyz234567";
    const BECH32: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

    /// Deterministic random strings (splitmix64), so fake tokens look random but tests repeat.
    /// The second field turns every random string into a stand-in (`xxxx...`, `0000...`) so the
    /// same sample builders produce placeholder negatives.
    struct Rng(u64, bool);

    impl Rng {
        fn new(seed: u64) -> Rng {
            Rng(seed, false)
        }

        fn placeholder(seed: u64) -> Rng {
            Rng(seed, true)
        }

        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn s(&mut self, alphabet: &str, n: usize) -> String {
            if self.1 {
                let filler = ['x', 'X']
                    .into_iter()
                    .find(|c| alphabet.contains(*c))
                    .unwrap_or(alphabet.as_bytes()[0] as char);
                return filler.to_string().repeat(n);
            }
            let a = alphabet.as_bytes();
            (0..n)
                .map(|_| a[(self.next() % a.len() as u64) as usize] as char)
                .collect()
        }

        /// A string over `alphabet` that contains each of its character classes (upper, lower,
        /// digit) at least once, as real random keys of this length practically always do.
        fn mixed(&mut self, alphabet: &str, n: usize) -> String {
            if self.1 {
                return self.s(alphabet, n);
            }
            loop {
                let s = self.s(alphabet, n);
                let has = |f: fn(&u8) -> bool| s.as_bytes().iter().any(f);
                let need = |f: fn(&u8) -> bool| alphabet.as_bytes().iter().any(f);
                if (!need(u8::is_ascii_uppercase) || has(u8::is_ascii_uppercase))
                    && (!need(u8::is_ascii_lowercase) || has(u8::is_ascii_lowercase))
                    && (!need(u8::is_ascii_digit) || has(u8::is_ascii_digit))
                {
                    return s;
                }
            }
        }

        fn uuid(&mut self) -> String {
            format!(
                "{}-{}-{}-{}-{}",
                self.s(HEX, 8),
                self.s(HEX, 4),
                self.s(HEX, 4),
                self.s(HEX, 4),
                self.s(HEX, 12)
            )
        }

        fn password(&mut self) -> String {
            format!("{}!{}", self.mixed(ALNUM, 12), self.s(DIGITS, 2))
        }

        fn pem_body(&mut self, chars: usize, newline: &str) -> String {
            let body = self.s(B64, chars);
            let lines: Vec<&str> = body
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            lines.join(newline)
        }
    }

    fn b64_encode(data: &[u8], url: bool) -> String {
        let alphabet = if url {
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        } else {
            B64
        }
        .as_bytes();
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        if !url {
            while out.len() % 4 != 0 {
                out.push('=');
            }
        }
        out
    }

    fn pem(label: &str, body: &str, newline: &str) -> String {
        format!("-----BEGIN {label}-----{newline}{body}{newline}-----END {label}-----")
    }

    /// A realistic text holding one fake secret for detector `id`, and the span it must report.
    fn sample(id: &str, r: &mut Rng) -> (String, String) {
        let in_text = |t: String, v: String| (t, v);
        let plain = |tok: String| (format!("here it is: {tok} (do not share)"), tok);
        let assign = |key: &str, v: String| (format!("export {key}={v}\n"), v);
        match id {
            "openrouter_api_key" => plain(format!("sk-or-v1-{}", r.s(HEX, 64))),
            "aws_access_key_id" => assign("AWS_ACCESS_KEY_ID", format!("AKIA{}", r.s(UPPER_NUM, 16))),
            "aws_secret_access_key" => {
                let v = r.mixed(B64, 40);
                if r.next() % 2 == 0 {
                    (format!("[default]\naws_secret_access_key = {v}\n"), v)
                } else {
                    let id = format!("AKIA{}", r.s(UPPER_NUM, 16));
                    (format!("User,Access key ID,Secret access key\nci,{id},{v}\n"), v)
                }
            }
            "aws_session_token" => plain(format!("IQoJb3JpZ2luX2Vj{}", r.s(B64, 300))),
            "aws_bedrock_api_key" => plain(format!("ABSKQmVkcm9ja0FQSUtleS{}", r.s(B64, 100))),
            "google_api_key" => plain(format!("AIza{}", r.s(URLSAFE, 35))),
            "gcp_service_account_key_id" => {
                let v = r.s(HEX, 40);
                (
                    format!("{{\"type\": \"service_account\", \"private_key_id\": \"{v}\", \"client_email\": \"x@p.iam.gserviceaccount.com\"}}"),
                    v,
                )
            }
            "gcp_oauth_client_secret" => plain(format!("GOCSPX-{}", r.s(URLSAFE, 28))),
            "google_oauth_access_token" => plain(format!("ya29.{}", r.s(URLSAFE, 150))),
            "google_oauth_refresh_token" => plain(format!("1//0{}", r.s(URLSAFE, 100))),
            "azure_storage_account_key" => {
                let v = format!("{}==", r.mixed(B64, 86));
                (
                    format!("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={v};EndpointSuffix=core.windows.net"),
                    v,
                )
            }
            "azure_sas_token" => {
                let v = format!("{}%3D", r.s(ALNUM, 43));
                (
                    format!("https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-01-01T00:00:00Z&spr=https&sig={v} end"),
                    v,
                )
            }
            "azure_ad_client_secret" => plain(format!(
                "{}{}Q~{}",
                r.s(ALNUM, 3),
                r.s(DIGITS, 1),
                r.s("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-", 34)
            )),
            "azure_shared_access_key" => {
                let v = format!("{}=", r.mixed(B64, 43));
                (
                    format!("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"),
                    v,
                )
            }
            "azure_devops_pat" => assign("AZURE_DEVOPS_PAT", r.mixed(B32L, 52)),
            "azure_apim_subscription_key" => {
                let v = r.mixed(HEX, 32);
                (format!("curl -H \"Ocp-Apim-Subscription-Key: {v}\" https://x.azure-api.net"), v)
            }
            "azure_openai_key" => assign("AZURE_OPENAI_API_KEY", r.mixed(HEX, 32)),
            "alibaba_access_key_id" => plain(format!("LTAI{}", r.s(ALNUM, 20))),
            "alibaba_access_key_secret" => assign("ALIBABA_CLOUD_ACCESS_KEY_SECRET", r.mixed(ALNUM, 30)),
            "tencent_cloud_secret_id" => plain(format!("AKID{}", r.s(ALNUM, 32))),
            "digitalocean_pat" => plain(format!("dop_v1_{}", r.s(HEX, 64))),
            "digitalocean_oauth_token" => plain(format!("doo_v1_{}", r.s(HEX, 64))),
            "digitalocean_refresh_token" => plain(format!("dor_v1_{}", r.s(HEX, 64))),
            "ibm_cloud_api_key" => assign("IBM_CLOUD_API_KEY", r.mixed(ALNUM, 44)),
            "heroku_api_key" => plain(format!("HRKU-{}", r.s(URLSAFE, 60))),
            "heroku_api_key_legacy" => assign("HEROKU_API_KEY", r.uuid()),
            "cloudflare_api_token" => assign("CLOUDFLARE_API_TOKEN", r.mixed(ALNUM, 40)),
            "cloudflare_global_api_key" => assign("CLOUDFLARE_API_KEY", r.mixed(HEX, 37)),
            "cloudflare_origin_ca_key" => plain(format!("v1.0-{}-{}", r.s(HEX, 24), r.s(HEX, 146))),
            "yandex_api_key" => plain(format!("AQVN{}", r.s(URLSAFE, 36))),
            "yandex_iam_token" => plain(format!("t1.9euelZ{}.{}", r.s(URLSAFE, 80), r.s(URLSAFE, 86))),
            "github_pat" => plain(format!("ghp_{}", r.s(ALNUM, 36))),
            "github_oauth_token" => plain(format!("gho_{}", r.s(ALNUM, 36))),
            "github_user_token" => plain(format!("ghu_{}", r.s(ALNUM, 36))),
            "github_app_token" => plain(format!("ghs_{}", r.s(ALNUM, 36))),
            "github_refresh_token" => plain(format!("ghr_{}", r.s(ALNUM, 76))),
            "github_fine_grained_pat" => plain(format!("github_pat_{}_{}", r.s(ALNUM, 22), r.s(ALNUM, 59))),
            "github_oauth_client_secret" => assign("GITHUB_CLIENT_SECRET", r.mixed(HEX, 40)),
            "gitlab_pat" => plain(format!("glpat-{}", r.s(URLSAFE, 20))),
            "gitlab_deploy_token" => plain(format!("gldt-{}", r.s(URLSAFE, 20))),
            "gitlab_runner_token" => plain(format!("glrt-{}", r.s(URLSAFE, 20))),
            "gitlab_runner_registration_token" => plain(format!("GR1348941{}", r.s(URLSAFE, 20))),
            "gitlab_cicd_job_token" => plain(format!("glcbt-{}_{}", r.s(ALNUM, 2), r.s(URLSAFE, 20))),
            "gitlab_feed_token" => plain(format!("glft-{}", r.s(URLSAFE, 20))),
            "gitlab_incoming_mail_token" => plain(format!("glimt-{}", r.s(URLSAFE, 25))),
            "gitlab_agent_token" => plain(format!("glagent-{}", r.s(URLSAFE, 50))),
            "gitlab_oauth_app_secret" => plain(format!("gloas-{}", r.s(URLSAFE, 64))),
            "gitlab_scim_token" => plain(format!("glsoat-{}", r.s(URLSAFE, 20))),
            "gitlab_feature_flag_token" => plain(format!("glffct-{}", r.s(URLSAFE, 20))),
            "gitlab_pipeline_trigger_token" => plain(format!("glptt-{}", r.s(HEX, 40))),
            "gitlab_session_cookie" => {
                let v = r.mixed(LOWER_NUM, 32);
                (format!("Cookie: _gitlab_session={v}; path=/"), v)
            }
            "bitbucket_app_password" => plain(format!("ATBB{}", r.s(ALNUM, 32))),
            "bitbucket_access_token" => plain(format!("ATCTT3xFfGN0{}", r.s(URLSAFE, 180))),
            "atlassian_api_token" => plain(format!("ATATT3xFfGF0{}", r.s(URLSAFE, 180))),
            "circleci_token" => plain(format!("CCIPAT_{}_{}", r.s(ALNUM, 22), r.s(HEX, 40))),
            "sourcegraph_token" => plain(format!("sgp_{}_{}", r.s(HEX, 16), r.s(HEX, 40))),
            "terraform_cloud_token" => plain(format!("{}.atlasv1.{}", r.s(ALNUM, 14), r.s(URLSAFE, 67))),
            "vault_service_token" => plain(format!("hvs.CAES{}", r.s(URLSAFE, 87))),
            "vault_batch_token" => plain(format!("hvb.AAAAAQ{}", r.s(URLSAFE, 132))),
            "doppler_token" => plain(format!("dp.pt.{}", r.s(ALNUM, 43))),
            "pulumi_access_token" => plain(format!("pul-{}", r.s(HEX, 40))),
            "npm_access_token" => plain(format!("npm_{}", r.s(ALNUM, 36))),
            "pypi_upload_token" => plain(format!("pypi-AgEIcHlwaS5vcmc{}", r.s(URLSAFE, 150))),
            "rubygems_api_key" => plain(format!("rubygems_{}", r.s(HEX, 48))),
            "nuget_api_key" => plain(format!("oy2{}", r.s(LOWER_NUM, 43))),
            "crates_io_token" => plain(format!("cio{}", r.s(ALNUM, 32))),
            "docker_hub_pat" => plain(format!("dckr_pat_{}", r.s(URLSAFE, 27))),
            "clojars_token" => plain(format!("CLOJARS_{}", r.s(LOWER_NUM, 60))),
            "jfrog_api_key" => plain(format!("AKCp{}", r.s(ALNUM, 69))),
            "jfrog_reference_token" => plain(format!("cmVmdGtuOjAxOj{}", r.s(ALNUM, 50))),
            "sonarqube_user_token" => plain(format!("squ_{}", r.s(HEX, 40))),
            "sonarqube_project_token" => plain(format!("sqp_{}", r.s(HEX, 40))),
            "sonarqube_global_token" => plain(format!("sqa_{}", r.s(HEX, 40))),
            "snyk_api_token" => assign("SNYK_TOKEN", r.uuid()),
            "octopus_deploy_api_key" => plain(format!("API-{}", r.s(UPPER_NUM, 26))),
            "prefect_api_key" => plain(format!("pnu_{}", r.s(ALNUM, 36))),
            "harness_token" => plain(format!("pat.{}.{}.{}", r.s(URLSAFE, 22), r.s(HEX, 24), r.s(ALNUM, 20))),
            "dynatrace_token" => plain(format!("dt0c01.{}.{}", r.s(UPPER_NUM, 24), r.s(UPPER_NUM, 64))),
            "infracost_api_key" => plain(format!("ico-{}", r.s(ALNUM, 32))),
            "stripe_secret_key" => plain(format!("sk_live_{}", r.s(ALNUM, 99))),
            "stripe_test_secret_key" => plain(format!("sk_test_{}", r.s(ALNUM, 24))),
            "stripe_restricted_key" => plain(format!("rk_live_{}", r.s(ALNUM, 99))),
            "stripe_webhook_secret" => plain(format!("whsec_{}", r.s(ALNUM, 32))),
            "square_access_token" => plain(format!("EAAA{}", r.s(URLSAFE, 60))),
            "square_oauth_secret" => plain(format!("sq0csp-{}", r.s(URLSAFE, 43))),
            "braintree_access_token" => plain(format!(
                "access_token$production${}${}",
                r.s(LOWER_NUM, 16),
                r.s(HEX, 32)
            )),
            "adyen_api_key" => assign("ADYEN_API_KEY", format!("AQE{}", r.mixed(ALNUM, 100))),
            "flutterwave_secret_key" => plain(format!("FLWSECK-{}-X", r.s(HEX, 32))),
            "plaid_access_token" => plain(format!("access-sandbox-{}", r.uuid())),
            "shopify_access_token" => plain(format!("shpat_{}", r.s(HEX, 32))),
            "shopify_shared_secret" => plain(format!("shpss_{}", r.s(HEX, 32))),
            "shopify_custom_app_token" => plain(format!("shpca_{}", r.s(HEX, 32))),
            "shopify_private_app_password" => plain(format!("shppa_{}", r.s(HEX, 32))),
            "easypost_api_key" => plain(format!("EZAK{}", r.s(ALNUM, 54))),
            "shippo_api_token" => plain(format!("shippo_live_{}", r.s(HEX, 40))),
            "duffel_api_token" => plain(format!("duffel_test_{}", r.s(URLSAFE, 43))),
            "slack_bot_token" => plain(format!(
                "xoxb-{}-{}-{}",
                r.s(DIGITS, 11),
                r.s(DIGITS, 13),
                r.s(ALNUM, 24)
            )),
            "slack_user_token" => plain(format!(
                "xoxp-{}-{}-{}-{}",
                r.s(DIGITS, 11),
                r.s(DIGITS, 11),
                r.s(DIGITS, 12),
                r.s(HEX, 32)
            )),
            "slack_legacy_token" => plain(format!("xoxa-2-{}", r.s(ALNUM, 60))),
            "slack_config_token" => plain(format!("xoxe.xoxp-1-{}", r.s(ALNUM, 150))),
            "slack_app_token" => plain(format!(
                "xapp-1-A{}-{}-{}",
                r.s(UPPER_NUM, 10),
                r.s(DIGITS, 13),
                r.s(HEX, 64)
            )),
            "slack_webhook_url" => plain(format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                r.s(UPPER_NUM, 8),
                r.s(UPPER_NUM, 10),
                r.s(ALNUM, 24)
            )),
            "discord_bot_token" => {
                let id = format!("{}{}", r.s("123456789", 1), r.s(DIGITS, 17));
                plain(format!(
                    "{}.{}.{}",
                    b64_encode(id.as_bytes(), true),
                    r.s(URLSAFE, 6),
                    r.s(URLSAFE, 38)
                ))
            }
            "discord_webhook_url" => plain(format!(
                "https://discord.com/api/webhooks/{}/{}",
                r.s(DIGITS, 18),
                r.s(URLSAFE, 68)
            )),
            "teams_webhook_url" => plain(format!(
                "https://contoso.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}/{}",
                r.uuid(),
                r.uuid(),
                r.s(HEX, 32),
                r.uuid()
            )),
            "power_automate_webhook_url" => plain(format!(
                "https://prod-12.westus.logic.azure.com:443/workflows/{}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
                r.s(HEX, 32),
                r.s(ALNUM, 43)
            )),
            "google_chat_webhook_url" => plain(format!(
                "https://chat.googleapis.com/v1/spaces/AAAA{}/messages?key=AIza{}&token={}",
                r.s(ALNUM, 7),
                r.s(URLSAFE, 35),
                r.s(ALNUM, 43)
            )),
            "zapier_webhook_url" => plain(format!(
                "https://hooks.zapier.com/hooks/catch/{}/{}/",
                r.s(DIGITS, 7),
                r.s(LOWER_NUM, 6)
            )),
            "telegram_bot_token" => plain(format!("{}:AA{}", r.s(DIGITS, 10), r.s(URLSAFE, 33))),
            "twilio_api_key" => plain(format!("SK{}", r.mixed(HEX, 32))),
            "twilio_account_sid" => assign("TWILIO_ACCOUNT_SID", format!("AC{}", r.mixed(HEX, 32))),
            "twilio_auth_token" => assign("TWILIO_AUTH_TOKEN", r.mixed(HEX, 32)),
            "sendgrid_api_key" => plain(format!("SG.{}.{}", r.s(URLSAFE, 22), r.s(URLSAFE, 43))),
            "mailgun_api_key" => plain(format!("key-{}", r.s(HEX, 32))),
            "mailchimp_api_key" => plain(format!("{}-us14", r.s(HEX, 32))),
            "brevo_api_key" => plain(format!("xkeysib-{}-{}", r.s(HEX, 64), r.s(ALNUM, 16))),
            "slack_signing_secret" => assign("SLACK_SIGNING_SECRET", r.mixed(HEX, 32)),
            "facebook_app_secret" => assign("FACEBOOK_APP_SECRET", r.mixed(HEX, 32)),
            "facebook_access_token" => plain(format!("EAAB{}", r.s(ALNUM, 150))),
            "twitter_bearer_token" => plain(format!(
                "{}{}%2B{}%3D{}",
                "A".repeat(22),
                r.s(ALNUM, 20),
                r.s(ALNUM, 20),
                r.s(ALNUM, 50)
            )),
            "openai_project_key" => plain(format!("sk-proj-{}", r.s(URLSAFE, 156))),
            "openai_service_account_key" => plain(format!("sk-svcacct-{}", r.s(URLSAFE, 156))),
            "openai_admin_key" => plain(format!("sk-admin-{}", r.s(URLSAFE, 156))),
            "openai_legacy_key" => plain(format!("sk-{}T3BlbkFJ{}", r.s(ALNUM, 20), r.s(ALNUM, 20))),
            "openai_style_api_key" => {
                if r.next() % 2 == 0 {
                    assign("OPENAI_API_KEY", format!("sk-{}", r.mixed(ALNUM, 48)))
                } else {
                    plain(format!("sk-{}", r.mixed(HEX, 32)))
                }
            }
            "anthropic_api_key" => plain(format!("sk-ant-api03-{}AA", r.s(URLSAFE, 93))),
            "anthropic_admin_key" => plain(format!("sk-ant-admin01-{}AA", r.s(URLSAFE, 93))),
            "anthropic_oauth_token" => plain(format!("sk-ant-oat01-{}AA", r.s(URLSAFE, 93))),
            "huggingface_token" => plain(format!("hf_{}", r.s(ALNUM, 34))),
            "huggingface_org_token" => plain(format!("api_org_{}", r.s(ALNUM, 34))),
            "cohere_api_key" => {
                let v = r.mixed(ALNUM, 40);
                if r.next() % 2 == 0 {
                    assign("COHERE_API_KEY", v)
                } else {
                    (format!("co = cohere.Client(\"{v}\")"), v)
                }
            }
            "groq_api_key" => plain(format!("gsk_{}", r.s(ALNUM, 52))),
            "replicate_api_token" => plain(format!("r8_{}", r.s(ALNUM, 37))),
            "perplexity_api_key" => plain(format!("pplx-{}", r.s(ALNUM, 48))),
            "mistral_api_key" => {
                let v = r.mixed(ALNUM, 32);
                (format!("My Mistral API key: {v}"), v)
            }
            "xai_api_key" => plain(format!("xai-{}", r.s(ALNUM, 80))),
            "deepseek_api_key" => assign("DEEPSEEK_API_KEY", format!("sk-{}", r.s(HEX, 32))),
            "together_api_key" => plain(format!("tgp_v1_{}", r.s(URLSAFE, 43))),
            "together_api_key_legacy" => assign("TOGETHER_API_KEY", r.mixed(HEX, 64)),
            "fireworks_api_key" => plain(format!("fw_{}", r.s(ALNUM, 24))),
            "langsmith_api_key" => plain(format!("lsv2_pt_{}_{}", r.s(HEX, 32), r.s(HEX, 10))),
            "pinecone_api_key" => plain(format!("pcsk_{}_{}", r.s(ALNUM, 6), r.s(ALNUM, 65))),
            "elevenlabs_api_key" => plain(format!("sk_{}", r.s(HEX, 48))),
            "cerebras_api_key" => plain(format!("csk-{}", r.s(LOWER_NUM, 48))),
            "nvidia_api_key" => plain(format!("nvapi-{}", r.s(URLSAFE, 64))),
            "tavily_api_key" => plain(format!("tvly-dev-{}", r.s(ALNUM, 32))),
            "wandb_api_key" => assign("WANDB_API_KEY", r.mixed(HEX, 40)),
            "linear_api_key" => plain(format!("lin_api_{}", r.s(ALNUM, 40))),
            "notion_token" => {
                if r.next() % 2 == 0 {
                    plain(format!("secret_{}", r.mixed(ALNUM, 43)))
                } else {
                    plain(format!("ntn_{}", r.mixed(ALNUM, 46)))
                }
            }
            "airtable_pat" => plain(format!("pat{}.{}", r.s(ALNUM, 14), r.s(HEX, 64))),
            "datadog_api_key" => assign("DD_API_KEY", r.mixed(HEX, 32)),
            "datadog_app_key" => assign("DD_APP_KEY", r.mixed(HEX, 40)),
            "newrelic_user_api_key" => plain(format!("NRAK-{}", r.s(UPPER_NUM, 27))),
            "newrelic_insert_key" => plain(format!("NRII-{}", r.s(URLSAFE, 32))),
            "newrelic_license_key" => plain(format!("{}NRAL", r.s(HEX, 36))),
            "sentry_org_token" => plain(format!("sntrys_eyJ{}_{}", r.s(B64, 100), r.s(B64, 43))),
            "sentry_user_token" => plain(format!("sntryu_{}", r.s(HEX, 64))),
            "grafana_cloud_token" => plain(format!("glc_eyJ{}=", r.s(B64, 100))),
            "grafana_service_account_token" => {
                plain(format!("glsa_{}_{}", r.s(ALNUM, 32), r.s(HEX, 8)))
            }
            "grafana_api_key" => plain(format!("eyJrIjoi{}=", r.s(ALNUM, 60))),
            "postman_api_key" => plain(format!("PMAK-{}-{}", r.s(HEX, 24), r.s(HEX, 34))),
            "dropbox_token" => plain(format!("sl.{}", r.s(URLSAFE, 140))),
            "okta_api_token" => assign("OKTA_API_TOKEN", format!("00{}", r.mixed(ALNUM, 40))),
            "databricks_token" => plain(format!("dapi{}", r.s(HEX, 32))),
            "age_secret_key" => plain(format!("AGE-SECRET-KEY-1{}", r.s(BECH32, 58))),
            "onepassword_service_account_token" => plain(format!("ops_eyJ{}", r.s(B64, 300))),
            "onepassword_secret_key" => plain(format!(
                "A3-{}-{}-{}-{}-{}-{}",
                r.s(UPPER_NUM, 6),
                r.s(UPPER_NUM, 6),
                r.s(UPPER_NUM, 5),
                r.s(UPPER_NUM, 5),
                r.s(UPPER_NUM, 5),
                r.s(UPPER_NUM, 5)
            )),
            "supabase_access_token" => plain(format!("sbp_{}", r.s(HEX, 40))),
            "supabase_secret_key" => plain(format!("sb_secret_{}", r.s(URLSAFE, 31))),
            "vercel_token" => assign("VERCEL_TOKEN", r.mixed(ALNUM, 24)),
            "netlify_token" => plain(format!("nfp_{}", r.s(ALNUM, 36))),
            "flyio_token" => plain(format!("fo1_{}", r.s(URLSAFE, 43))),
            "planetscale_token" => plain(format!("pscale_tkn_{}", r.s(URLSAFE, 43))),
            "planetscale_password" => plain(format!("pscale_pw_{}", r.s(URLSAFE, 43))),
            "planetscale_oauth_token" => plain(format!("pscale_oauth_{}", r.s(URLSAFE, 43))),
            "figma_token" => plain(format!("figd_{}", r.s(URLSAFE, 40))),
            "asana_pat" => plain(format!(
                "2/{}/{}:{}",
                r.s(DIGITS, 16),
                r.s(DIGITS, 16),
                r.s(HEX, 32)
            )),
            "intercom_access_token" => plain(format!("dG9rO{}=", r.s(ALNUM, 55))),
            "zendesk_api_token" => assign("ZENDESK_API_TOKEN", r.mixed(ALNUM, 40)),
            "hubspot_private_app_token" => plain(format!("pat-na1-{}", r.uuid())),
            "launchdarkly_access_token" => {
                assign("LAUNCHDARKLY_ACCESS_TOKEN", format!("api-{}", r.uuid()))
            }
            "mapbox_secret_token" => plain(format!(
                "sk.eyJ1Ijoi{}.{}",
                r.s(URLSAFE, 60),
                r.s(URLSAFE, 22)
            )),
            "algolia_admin_key" => assign("ALGOLIA_ADMIN_KEY", r.mixed(HEX, 32)),
            "contentful_token" => plain(format!("CFPAT-{}", r.s(URLSAFE, 43))),
            "typeform_token" => plain(format!("tfp_{}_{}", r.s(URLSAFE, 44), r.s(URLSAFE, 14))),
            "readme_api_key" => plain(format!("rdme_{}", r.s(LOWER_NUM, 70))),
            "scalingo_token" => plain(format!("tk-us-{}", r.s(URLSAFE, 48))),
            "rsa_private_key" => {
                let k = pem("RSA PRIVATE KEY", &r.pem_body(1600, "\n"), "\n");
                (format!("key file:\n{k}\n"), k)
            }
            "ec_private_key" => {
                let k = pem("EC PRIVATE KEY", &r.pem_body(160, "\n"), "\n");
                (format!("{k}\n"), k)
            }
            "dsa_private_key" => {
                let k = pem("DSA PRIVATE KEY", &r.pem_body(900, "\n"), "\n");
                (format!("{k}\n"), k)
            }
            "pkcs8_private_key" => {
                // As in a GCP service-account JSON: JSON-escaped line breaks.
                let k = pem("PRIVATE KEY", &r.pem_body(1600, "\\n"), "\\n");
                (format!("{{\"private_key\": \"{k}\\n\", \"client_email\": \"a@b\"}}"), k)
            }
            "encrypted_private_key" => {
                let k = pem("ENCRYPTED PRIVATE KEY", &r.pem_body(1700, "\r\n"), "\r\n");
                (format!("{k}\r\n"), k)
            }
            "openssh_private_key" => {
                let body = format!("b3BlbnNzaC1rZXktdjEAAAAA{}", r.s(B64, 380));
                let k = pem("OPENSSH PRIVATE KEY", &body, "\n");
                (format!("cat ~/.ssh/id_ed25519\n{k}\n"), k)
            }
            "pgp_private_key" => {
                let body = format!(
                    "Version: GnuPG v2\n\nlQOYBF{}\n={}",
                    r.pem_body(2000, "\n"),
                    r.s(B64, 4)
                );
                let k = pem("PGP PRIVATE KEY BLOCK", &body, "\n");
                (format!("{k}\n"), k)
            }
            "putty_private_key" => {
                let k = format!(
                    "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20240101\nPublic-Lines: 6\n{}\nPrivate-Lines: 14\n{}\nPrivate-MAC: {}",
                    r.pem_body(370, "\n"),
                    r.pem_body(860, "\n"),
                    r.s(HEX, 40)
                );
                (format!("{k}\n"), k)
            }
            "private_key_base64" => {
                let k = pem("RSA PRIVATE KEY", &r.pem_body(1600, "\n"), "\n");
                let v = b64_encode(k.as_bytes(), false);
                (format!("users:\n- name: admin\n  user:\n    client-key-data: {v}\n"), v)
            }
            "jwt" => {
                let header = b64_encode(br#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#, true);
                let payload = format!(
                    r#"{{"sub":"{}","iss":"https://auth.example.org","exp":1767225600}}"#,
                    r.s(ALNUM, 12)
                );
                let t = format!("{header}.{}.{}", b64_encode(payload.as_bytes(), true), r.s(URLSAFE, 86));
                in_text(format!("{{\"id_token\": \"{t}\"}}"), t)
            }
            "postgres_connection_string" => {
                let u = format!("postgresql://app_user:{}@db.internal.corp:5432/orders", r.password());
                plain(u)
            }
            "mysql_connection_string" => plain(format!("mysql://root:{}@10.0.0.5:3306/shop", r.password())),
            "mongodb_connection_string" => plain(format!(
                "mongodb+srv://admin:{}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true&w=majority",
                r.password()
            )),
            "redis_connection_string" => plain(format!(
                "redis://default:{}@redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com:12345",
                r.password()
            )),
            "amqp_connection_string" => plain(format!(
                "amqps://svc:{}@b-1234.mq.us-east-1.amazonaws.com:5671/vhost",
                r.password()
            )),
            "mssql_connection_string" => plain(format!(
                "sqlserver://sa:{}@sql01.corp.local:1433?database=hr",
                r.password()
            )),
            "jdbc_connection_string" => plain(format!(
                "jdbc:postgresql://db.local:5432/app?user=app&password={}",
                r.password()
            )),
            "adonet_connection_string" => {
                let pw = r.password();
                let v = format!("Server=tcp:srv.database.windows.net,1433;Initial Catalog=db;User ID=admin;Password={pw}");
                (format!("\"{v};Encrypt=True;\""), v)
            }
            "database_connection_string" => plain(format!(
                "clickhouse://default:{}@ch.internal:9000/analytics",
                r.password()
            )),
            "basic_auth_url" => {
                let v = format!("https://deploy:{}@git.internal.corp", r.password());
                (format!("git clone {v}/team/repo.git"), v)
            }
            "http_basic_auth_header" => {
                let v = b64_encode(format!("svc-user:{}", r.password()).as_bytes(), false);
                (format!("Authorization: Basic {v}\r\n"), v)
            }
            "http_bearer_token" => {
                let v = r.mixed(URLSAFE, 40);
                (format!("curl -H 'Authorization: Bearer {v}' https://api.internal"), v)
            }
            "api_key_header" => {
                let v = r.mixed(ALNUM, 32);
                (format!("X-API-Key: {v}\n"), v)
            }
            "curl_user_credentials" => {
                let v = format!("deploy:{}", r.password());
                (format!("curl -u {v} https://api.internal/v1/items"), v)
            }
            "password_assignment" => {
                let v = r.password();
                match r.next() % 4 {
                    0 => assign("DB_PASSWORD", v),
                    1 => (format!("database:\n  host: db\n  password: \"{v}\"\n"), v),
                    2 => (format!("{{\"username\": \"svc\", \"password\": \"{v}\"}}"), v),
                    _ => (format!("<connection><password>{v}</password></connection>"), v),
                }
            }
            "password_in_prose" => {
                let v = r.password();
                (format!("The admin password is {v} so keep it safe."), v)
            }
            "generic_secret" => {
                let v = r.mixed(ALNUM, 40);
                (format!("SESSION_SECRET = \"{v}\"\n"), v)
            }
            other => panic!("no sample for {other}"),
        }
    }

    fn ids() -> Vec<&'static str> {
        SPECS.iter().map(|s| s.id).collect()
    }

    #[test]
    fn catalogue_has_over_110_secret_detectors_blocking_by_default() {
        assert!(SPECS.len() >= 110, "{} detectors", SPECS.len());
        let categories: HashSet<&str> = SPECS.iter().map(|s| s.category).collect();
        for spec in SPECS {
            assert_eq!(spec.kind, crate::dlp::detector::Kind::Secret, "{}", spec.id);
            assert_eq!(
                spec.default_action,
                crate::dlp::detector::Action::Block,
                "{}",
                spec.id
            );
        }
        assert!(categories.len() <= 12, "{categories:?}");
    }

    #[test]
    fn every_pattern_compiles() {
        for spec in SPECS {
            match spec.matcher {
                Matcher::Anchored { pattern, .. }
                | Matcher::Scored { pattern, .. }
                | Matcher::Triggered { pattern, .. } => {
                    assert!(Regex::new(pattern).is_ok(), "{}: {pattern}", spec.id);
                }
                Matcher::Code { find, .. } => find("", &mut Vec::new()),
                Matcher::Located { locate, .. } => assert!(locate("", 0).is_none()),
            }
        }
    }

    #[test]
    fn every_detector_finds_its_sample_across_many_random_bodies() {
        let mut failures = Vec::new();
        for id in ids() {
            for seed in 0..24u64 {
                let mut r = Rng::new(seed * 7919 + id.len() as u64);
                let (text, expected) = sample(id, &mut r);
                let all = found(&text);
                if !all.iter().any(|(d, m)| d == id && *m == expected) {
                    failures.push(format!("{id} seed {seed}: {text:?} -> {all:?}"));
                    break;
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Ids of this file's detectors that report anything in `text`.
    fn secrets_found(text: &str) -> Vec<(String, String)> {
        let mine: HashSet<&str> = ids().into_iter().collect();
        found(text)
            .into_iter()
            .filter(|(d, _)| mine.contains(d.as_str()))
            .collect()
    }

    #[track_caller]
    fn assert_no_secret(text: &str) {
        let hits = secrets_found(text);
        assert!(hits.is_empty(), "unexpected secrets in {text:?}: {hits:?}");
    }

    #[test]
    fn placeholder_tokens_are_not_reported() {
        assert_not_finds(
            "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "github_pat",
        );
        assert_not_finds(
            "token: ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "github_pat",
        );
        assert_not_finds(
            "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "github_pat",
        );
        assert_not_finds(
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_access_key_id",
        );
        assert_not_finds(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_secret_access_key",
        );
        assert_not_finds("sk_live_000000000000000000000000", "stripe_secret_key");
        assert_not_finds(
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "slack_webhook_url",
        );
        assert_not_finds(
            "OPENAI_API_KEY=sk-proj-<your-key-here>",
            "openai_project_key",
        );
        assert_not_finds(
            "1234567890:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "telegram_bot_token",
        );
        assert_not_finds(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
            "rsa_private_key",
        );
        assert_not_finds(
            "-----BEGIN PRIVATE KEY-----\n<your private key>\n-----END PRIVATE KEY-----",
            "pkcs8_private_key",
        );
    }

    #[test]
    fn tokens_that_run_on_are_not_cut_to_shape() {
        let mut r = Rng::new(5);
        let long = format!("ghp_{}", r.s(ALNUM, 40));
        assert_not_finds(&format!("x {long} y"), "github_pat");
        let glued = format!("xghp_{}", r.s(ALNUM, 36));
        assert_not_finds(&format!("x {glued} y"), "github_pat");
        let sha = r.s(HEX, 64);
        assert_not_finds(&format!("key-{sha}"), "mailgun_api_key");
    }

    #[test]
    fn benign_look_alikes_are_not_secrets() {
        for text in [
            "commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)",
            "Merge: 1a2b3c4d5e6f 7a8b9c0d1e2f; parent 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "request_id=123e4567-e89b-12d3-a456-426614174000 status=200",
            "client_id: \"123e4567-e89b-12d3-a456-426614174000\"",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 pulled",
            "2024-05-01T12:00:00Z INFO digest=d41d8cd98f00b204e9800998ecf8427e size=0",
            "const apiKey = process.env.API_KEY;",
            "api_key = os.environ[\"OPENAI_API_KEY\"]",
            "secret = get_secret(\"db-password\")",
            "password: ${DB_PASSWORD}",
            "password: \"{{ vault_db_password }}\"",
            "token = \"<your-token>\"",
            "api_key = \"your_api_key_here\"",
            "API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "secret_sauce_count = 3",
            "max_tokens: 4096",
            "tokenizer = \"bert-base-uncased\"",
            "token: null",
            "password = \"password123\"",
            "password: changeme",
            "\"password\": \"********\"",
            "PASSWORD=",
            "pwd = os.environ[\"PWD\"]",
            "PWD=/home/alice/projects",
            "password_length = 16",
            "if password == \"\":",
            "password = user_password",
            "password=self.password",
            "let password = req.body.password;",
            "<input type=\"password\" name=\"password\" autocomplete=\"current-password\">",
            "The password is incorrect, please try again.",
            "Your password was reset on 2024-01-01.",
            "password is required",
            "postgres://user:password@localhost:5432/db",
            "amqp://guest:guest@localhost:5672/",
            "postgres://postgres:${POSTGRES_PASSWORD}@db:5432/app",
            "mongodb://localhost:27017/test",
            "https://user:pass@example.com/",
            "https://example.com/path?x=1&y=2",
            "git@github.com:org/repo.git",
            "Authorization: Bearer <token>",
            "Authorization: Bearer ${TOKEN}",
            "Authorization: Bearer YOUR_ACCESS_TOKEN",
            "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
            "secret_key_base_for_application_in_production_env = load()",
            "Visit https://hooks.slack.com/services/ for docs.",
            "version = \"1.2.3\" # bump",
            "model: gpt-4o-mini-2024-07-18",
            "auth_method = \"oauth2-client-credentials\"",
            "author: Jane Doe <jane@example.org>",
            "cache_key = \"user:42:profile:v3:2f1e9c8a7b6d\"",
            "keyboard_layout = \"dvorak-programmer-2024\"",
            "public_key = \"MCowBQYDK2VwAyEA9f3a8c1e2b7d4f6a0c9e8b1d2f3a4c5\"",
            "invoice INV-2024-000123, order #9912837465, total $1,234.56",
        ] {
            assert_no_secret(text);
        }
    }

    #[test]
    fn base64_image_data_is_not_a_secret() {
        let mut r = Rng::new(99);
        for _ in 0..20 {
            let blob = r.s(B64, 2000);
            assert_no_secret(&format!(
                "<img src=\"data:image/png;base64,iVBORw0KGgo{blob}==\">"
            ));
            assert_no_secret(&format!("{{\"thumbnail\": \"{blob}\"}}"));
        }
    }

    #[test]
    fn benign_corpus_has_at_most_one_false_positive_per_100_kb() {
        let mut r = Rng::new(2024);
        let mut text = String::new();
        let words = [
            "the", "order", "shipped", "invoice", "customer", "total", "retry", "cache", "user",
            "token", "secret", "key", "session", "password", "build", "deploy", "release",
        ];
        while text.len() < 300_000 {
            let line = match r.next() % 16 {
                0 => format!("commit {}\n", r.s(HEX, 40)),
                1 => format!("sha256:{} layer pulled\n", r.s(HEX, 64)),
                2 => format!("md5({}) = {}\n", r.s(LOWER_NUM, 8), r.s(HEX, 32)),
                3 => format!("request_id={} trace={}\n", r.uuid(), r.s(HEX, 16)),
                4 => format!("data:image/jpeg;base64,{}\n", r.s(B64, 600)),
                5 => format!(
                    "2024-0{}-1{}T{}:{}:00.123Z INFO order {} processed in {}ms\n",
                    1 + r.next() % 9,
                    r.next() % 10,
                    10 + r.next() % 13,
                    10 + r.next() % 50,
                    r.s(DIGITS, 10),
                    r.next() % 999
                ),
                6 => format!(
                    "{{\"id\": \"{}\", \"sku\": \"SKU-{}\", \"price\": {}.{}}}\n",
                    r.uuid(),
                    r.s(UPPER_NUM, 8),
                    r.next() % 1000,
                    r.next() % 100
                ),
                7 => format!(
                    "let {} = compute_{}(x, y);\n",
                    r.s("abcdefghij", 6),
                    r.s("abcdefghij", 5)
                ),
                8 => format!("ETag: \"{}\"\n", r.s(HEX, 32)),
                9 => format!(
                    "v{}.{}.{} released; build {}\n",
                    r.next() % 9,
                    r.next() % 30,
                    r.next() % 99,
                    r.s(HEX, 7)
                ),
                10 => format!("{}\n", r.s(B64, 76)),
                11 => {
                    let n = 8 + r.next() as usize % 12;
                    let sentence: Vec<&str> = (0..n)
                        .map(|_| words[r.next() as usize % words.len()])
                        .collect();
                    format!("{}.\n", sentence.join(" "))
                }
                12 => format!(
                    "max_tokens = {}; token_count = {}\n",
                    r.next() % 8192,
                    r.next() % 99999
                ),
                13 => format!(
                    "https://cdn.example.com/assets/{}/{}.png\n",
                    r.s(HEX, 12),
                    r.s(LOWER_NUM, 10)
                ),
                14 => format!("idempotency_key: \"{}\"\n", r.uuid()),
                _ => format!("phone +1 555 {} ext {}\n", r.s(DIGITS, 7), r.s(DIGITS, 3)),
            };
            text.push_str(&line);
        }
        let hits = secrets_found(&text);
        assert!(
            hits.len() <= 3,
            "{} false positives in {} bytes: {hits:?}",
            hits.len(),
            text.len()
        );
    }

    #[test]
    fn specific_detectors_outrank_the_generic_ones() {
        let mut r = Rng::new(3);
        let key = format!("sk-proj-{}", r.s(URLSAFE, 156));
        assert_finds(
            &format!("OPENAI_API_KEY=\"{key}\""),
            "openai_project_key",
            &key,
        );
        let ghp = format!("ghp_{}", r.s(ALNUM, 36));
        assert_finds(&format!("token: {ghp}"), "github_pat", &ghp);
        assert_finds(&format!("Authorization: Bearer {ghp}"), "github_pat", &ghp);
        let jwt = format!(
            "{}.{}.{}",
            b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#, true),
            b64_encode(br#"{"sub":"1234567890","name":"A","iat":1516239022}"#, true),
            r.s(URLSAFE, 43)
        );
        assert_finds(&format!("Authorization: Bearer {jwt}"), "jwt", &jwt);
        let pw = r.password();
        let url = format!("postgres://app:{pw}@db.prod.internal:5432/app");
        assert_finds(
            &format!("DATABASE_URL={url}"),
            "postgres_connection_string",
            &url,
        );
    }

    #[test]
    fn assignment_forms_across_languages() {
        let mut r = Rng::new(11);
        let pw = r.password();
        for text in [
            format!("password={pw}"),
            format!("password = \"{pw}\""),
            format!("self.db_password = '{pw}'"),
            format!("PGPASSWORD={pw} psql -h db"),
            format!("\"passwd\": \"{pw}\","),
            format!("smtp_pass: {pw}"),
            format!("$password = \"{pw}\";"),
            format!("dbPassword := \"{pw}\""),
            format!(":password => '{pw}',"),
            format!("mysqladmin --password {pw} status"),
            format!("<Password>{pw}</Password>"),
        ] {
            assert_finds(&text, "password_assignment", &pw);
        }
        let v = r.mixed(ALNUM, 32);
        for text in [
            format!("client_secret = \"{v}\""),
            format!("apiKey = '{v}'"),
            format!("\"auth_token\": \"{v}\""),
            format!("--api-token {v}"),
            format!("app.config['SECRET_KEY'] = '{v}'"),
            format!("SIGNING_KEY={v}"),
        ] {
            assert_finds(&text, "generic_secret", &v);
        }
    }

    #[test]
    fn traditional_encrypted_rsa_keys_and_truncated_keys_count() {
        let mut r = Rng::new(8);
        let body = format!(
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{}\n\n{}",
            r.s("0123456789ABCDEF", 32),
            r.pem_body(1700, "\n")
        );
        let k = pem("RSA PRIVATE KEY", &body, "\n");
        assert_finds(&k, "rsa_private_key", &k);
        // A key pasted without its END line is still a leak.
        let body = r.pem_body(1200, "\n");
        let text = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n");
        let expected = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}");
        assert_finds(&text, "openssh_private_key", &expected);
    }

    #[test]
    fn base64url_decoder_handles_both_alphabets_and_padding() {
        assert_eq!(b64_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(b64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(b64_decode("-_-_").unwrap(), b64_decode("+/+/").unwrap());
        assert!(b64_decode("abcde").is_none());
        assert!(b64_decode("ab$d").is_none());
        for data in [&b""[..], b"a", b"ab", b"abc", b"\xff\xfe\xfd\x00"] {
            assert_eq!(b64_decode(&b64_encode(data, true)).unwrap(), data);
            assert_eq!(b64_decode(&b64_encode(data, false)).unwrap(), data);
        }
    }

    #[test]
    fn jwt_validator_requires_json_objects_and_alg() {
        let h = b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#, true);
        let p = b64_encode(br#"{"sub":"42"}"#, true);
        let sig = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(jwt(&format!("{h}.{p}.{sig}")));
        let no_alg = b64_encode(br#"{"typ":"JWT"}"#, true);
        assert!(!jwt(&format!("{no_alg}.{p}.{sig}")));
        let array = b64_encode(b"[1,2]", true);
        assert!(!jwt(&format!("{h}.{array}.{sig}")));
        assert!(!jwt(&format!("{h}.bm90anNvbg.{sig}")));
        assert!(!jwt(&format!("{h}.{p}.aaaaaaaaaaaaaaaaaaaaaaaa")));
        assert!(!jwt(&format!("{h}.{p}")));
    }

    #[test]
    fn discord_validator_decodes_the_user_id() {
        let id = b64_encode(b"812345678901234567", true);
        assert!(discord_bot_token(&format!(
            "{id}.GaBcDe.Xk9mP2vL7qR4sT8wY1zA3bC5dE6fG0hJ"
        )));
        let not_digits = b64_encode(b"81234567890123456x", true);
        assert!(!discord_bot_token(&format!(
            "{not_digits}.GaBcDe.Xk9mP2vL7qR4sT8wY1zA3bC5dE6fG0hJ"
        )));
    }

    #[test]
    fn placeholder_filter() {
        for v in [
            "<your-key>",
            "${API_KEY}",
            "$API_KEY",
            "{{ api_key }}",
            "%s",
            "xxxxxxxxxxxx",
            "XXXX-XXXX",
            "********",
            "changeme",
            "your_api_key_here",
            "EXAMPLEKEY123",
            "REDACTED",
            "aaaaaaaaaaaaaaaa",
            "abababababab",
            "abcdefghijklmnop",
            "0123456789",
            "process.env.TOKEN",
            "os.environ['X']",
            "VS%0.f0COMNTOOLS",
            "user-%-8.3f-key",
        ] {
            assert!(looks_like_placeholder(v), "{v}");
        }
        for v in [
            "password",
            "Password1",
            "test",
            "test_key_123",
            "dummy",
            "null",
            "None",
            "true",
            "qwerty123",
            "abc123456",
        ] {
            assert!(placeholder_value(v), "{v}");
        }
        let mut r = Rng::new(1);
        for _ in 0..500 {
            let t = r.s(ALNUM, 40);
            assert!(!looks_like_placeholder(&t), "{t}");
        }
        assert!(!looks_like_placeholder(
            "xoxb-1234567890-1234567890-Xk9mP2vL7qR4sT8wY1zA3bC5"
        ));
        assert!(!looks_like_placeholder("Xk9mP2vL%2F7qR4s%3D"));
        assert!(!placeholder_value("Tr0ub4dor&3x"));
    }

    #[test]
    fn code_references_are_not_literals() {
        for v in [
            "settings.SECRET_KEY",
            "self.token",
            "config.db.password",
            "getPassword()",
            "ENV[\"X\"]",
            "$TOKEN",
            "Foo::BAR",
        ] {
            assert!(is_code_reference(v), "{v}");
        }
        for v in ["Xk9mP2vL7qR4sT8w", "abc.def1234567890abcdef1234567890"] {
            assert!(!is_code_reference(v), "{v}");
        }
    }

    #[test]
    fn key_classification() {
        for k in [
            "password",
            "DB_PASSWORD",
            "dbPassword",
            "PGPASSWORD",
            "smtp_pass",
            "passwd",
            "pwd",
            "passphrase",
            "password_confirmation",
        ] {
            assert_eq!(classify_key(k), KeyKind::Password, "{k}");
        }
        for k in [
            "api_key",
            "apiKey",
            "X-API-Key",
            "client_secret",
            "SECRET_KEY",
            "auth_token",
            "accessToken",
            "token",
            "id_token",
            "AWS_SECRET",
        ] {
            assert_eq!(classify_key(k), KeyKind::Secret, "{k}");
        }
        for k in [
            "client_id",
            "token_type",
            "max_tokens",
            "tokenizer",
            "password_hash",
            "password_length",
            "secret_sauce_count",
            "public_key",
            "cache_key",
            "keyboard",
            "bypass",
            "author",
            "token_url",
            "api_key_name",
        ] {
            assert_eq!(classify_key(k), KeyKind::Neither, "{k}");
        }
    }

    #[test]
    fn entropy_gate_passes_random_bodies_and_rejects_repeats() {
        let mut r = Rng::new(77);
        for n in [12, 16, 20, 24, 32, 40, 64] {
            for _ in 0..200 {
                assert!(entropy_ok(&r.s(ALNUM, n)), "alnum {n}");
                assert!(entropy_ok(&r.s(HEX, n)), "hex {n}");
            }
        }
        assert!(!entropy_ok("aaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!entropy_ok("abababababababababababababababab"));
        // A counting run of six that makes up much of the value; a run of four inside a random
        // value does not count.
        assert!(looks_like_placeholder("xabcdefy"));
        assert!(looks_like_placeholder("Zq-FEDCBA"));
        assert!(!looks_like_placeholder("Zq9876Lm2Kp8Vbx3"));
    }

    #[test]
    fn secret_kinds_use_the_fixed_category_set() {
        let allowed = [
            "API_KEY",
            "ACCESS_TOKEN",
            "CLOUD_CREDENTIAL",
            "PRIVATE_KEY",
            "JWT",
            "CONNECTION_STRING",
            "BASIC_AUTH_URL",
            "WEBHOOK_URL",
            "PASSWORD",
            "GENERIC_SECRET",
            "OAUTH_CLIENT_SECRET",
        ];
        for spec in SPECS {
            assert!(
                allowed.contains(&spec.category),
                "{}: {}",
                spec.id,
                spec.category
            );
            assert_eq!(spec.kind, Kind::Secret);
        }
        let generic = SPECS.iter().find(|s| s.id == "generic_secret").unwrap();
        let weaker = SPECS
            .iter()
            .filter(|s| {
                s.id != "generic_secret" && s.id != "password_in_prose" && !s.context_required
            })
            .all(|s| s.confidence > generic.confidence);
        assert!(weaker, "specific detectors must outrank generic_secret");
    }

    #[test]
    fn every_detector_ignores_its_sample_with_a_placeholder_body() {
        let mut failures = Vec::new();
        for id in ids() {
            let (text, _) = sample(id, &mut Rng::placeholder(1));
            let hits: Vec<_> = found(&text).into_iter().filter(|(d, _)| d == id).collect();
            if !hits.is_empty() {
                failures.push(format!("{id}: {text:?} -> {hits:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    // ---- The windowed matchers find what the whole-text patterns found ------------------------
    //
    // The code matchers look only near their triggers and read assignments by hand. These oracles
    // are the whole-text versions they replaced; random texts built from the pieces the patterns
    // care about must give the same hits.

    fn old_captures<'t>(pattern: &str, text: &'t str) -> Vec<regex::Captures<'t>> {
        thread_local! {
            static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
                Default::default();
        }
        let re = COMPILED.with(|c| {
            c.borrow_mut()
                .entry(pattern.to_string())
                .or_insert_with(|| Regex::new(pattern).unwrap())
                .clone()
        });
        re.captures_iter(text).collect()
    }

    fn old_assignments(text: &str) -> Vec<(String, String, usize, bool)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let assignment = r#"(?i)((?:pass|pwd|secret|token|key|auth|credential)[A-Za-z0-9_.-]{0,40})(["'\]]{0,2})[ \t]{0,4}(:=|=>|==?|:)[ \t]{0,4}("[^"\r\n]{0,300}"|'[^'\r\n]{0,300}'|`[^`\r\n]{0,300}`|[^\s"'`,;&<>(){}\[\]]{1,300})"#;
        for caps in old_captures(assignment, text) {
            let (key, sep, val) = (
                caps.get(1).unwrap(),
                caps.get(3).unwrap(),
                caps.get(4).unwrap(),
            );
            if sep.as_str() == "==" || text[sep.end()..].starts_with('=') {
                continue;
            }
            if sep.as_str() == ":"
                && text[val.end()..]
                    .trim_start_matches([' ', '\t'])
                    .strip_prefix('=')
                    .is_some_and(|rest| !rest.starts_with('='))
            {
                continue;
            }
            let mut key_start = key.start();
            while key_start > 0
                && key.start() - key_start < 64
                && (is_word_byte(bytes[key_start - 1])
                    || matches!(bytes[key_start - 1], b'.' | b'-'))
            {
                key_start -= 1;
            }
            let (value, value_start, quoted) = unquote(val.as_str(), val.start());
            out.push((
                text[key_start..key.end()].to_string(),
                value.to_string(),
                value_start,
                quoted,
            ));
        }
        for caps in old_captures(XML_ASSIGNMENT, text) {
            let (key, val) = (caps.get(1).unwrap(), caps.get(2).unwrap());
            out.push((
                key.as_str().to_string(),
                val.as_str().to_string(),
                val.start(),
                true,
            ));
        }
        for caps in old_captures(FLAG_ASSIGNMENT, text) {
            let (key, val) = (caps.get(1).unwrap(), caps.get(2).unwrap());
            let (value, value_start, quoted) = unquote(val.as_str(), val.start());
            out.push((
                key.as_str().to_string(),
                value.to_string(),
                value_start,
                quoted,
            ));
        }
        out.sort();
        out
    }

    fn new_assignments(text: &str) -> Vec<(String, String, usize, bool)> {
        let mut out = Vec::new();
        assignments(text, |a| {
            out.push((
                a.key.to_string(),
                a.value.to_string(),
                a.value_start,
                a.quoted,
            ));
        });
        out.sort();
        out
    }

    fn old_conn(text: &str, want: Db) -> Vec<(usize, usize)> {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for caps in old_captures(CONN_URI_PATTERN, text) {
            let (all, scheme, user, pass) = (
                caps.get(0).unwrap(),
                caps.get(1).unwrap(),
                caps.get(2).unwrap(),
                caps.get(3).unwrap(),
            );
            if db_of_scheme(scheme.as_str()) == want && real_password(user.as_str(), pass.as_str())
            {
                hits.push((all.start(), trim_url_end(text, all.start(), all.end())));
            }
        }
        for caps in old_captures(CONN_PARAM_PATTERN, text) {
            let (all, scheme, pass) = (
                caps.get(0).unwrap(),
                caps.get(1).unwrap(),
                caps.get(2).unwrap(),
            );
            if db_of_scheme(scheme.as_str()) == want
                && real_password("", pass.as_str())
                && !hits.iter().any(|h| h.0 <= all.start() && all.start() < h.1)
            {
                hits.push((all.start(), trim_url_end(text, all.start(), all.end())));
            }
        }
        hits.dedup();
        hits
    }

    fn old_value_hits(
        pattern: &str,
        text: &str,
        keep: impl Fn(&regex::Captures) -> Option<(usize, usize)>,
    ) -> Vec<(usize, usize)> {
        let mut hits: Vec<(usize, usize)> = old_captures(pattern, text)
            .iter()
            .filter_map(keep)
            .collect();
        hits.dedup();
        hits
    }

    fn spans(find: CodeMatcher, text: &str) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        find(text, &mut hits);
        hits.iter().map(|h| (h.start, h.end)).collect()
    }

    /// A random text of pieces that assignments, URIs, headers and commands are made of.
    fn piece_text(r: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "password",
            "Password",
            "PASSWD",
            "pass",
            "pwd",
            "secret",
            "Secret_Key",
            "token",
            "key",
            "monkey",
            "auth",
            "credential",
            "db_",
            "api",
            "_",
            ".",
            "-",
            "--",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            ":",
            "=",
            ":=",
            "=>",
            "==",
            "\"",
            "'",
            "`",
            "]",
            "[",
            "<",
            ">",
            "</",
            "<password>",
            "</password>",
            "<db:token>",
            "(",
            ")",
            ",",
            ";",
            "&",
            "{",
            "}",
            "x",
            "abc",
            "Tr0ub4dor3x",
            "S3cr3tV4lue99",
            "Zq9Lm2Kp8Vbx3Wn7",
            "é",
            "€",
            "\u{a0}",
            "postgres://",
            "postgresql+psycopg2://",
            "jdbc:mysql://",
            "mongodb+srv://",
            "redis://",
            "https://",
            "svn+ssh://",
            "x_https://",
            "user",
            "admin",
            "@",
            "@@",
            "host.example.com",
            "db1:5432",
            "/db",
            "/",
            "?password=",
            "&pwd=",
            ";pass=",
            "?x=1",
            "bearer ",
            "Bearer  ",
            "Authorization: Basic ",
            "auth=basic ",
            "dXNlcjpTM2NyM3RQYXNz",
            "curl ",
            "-u ",
            "--user=",
            "x-api-key: ",
            "X-Auth-Token:",
            "private-token: ",
            "is ",
            "was ",
            "will be ",
            "Server=db;",
            "Data Source=x;",
            "User Id=sa;",
            "Password=",
            "pwd=",
            "1234567890abcdefABCDEF",
            "42",
            "eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl",
            "\u{2003}",
            ":5432",
            ",h2:5433",
            "[::1]",
            "#",
            "%40",
            "amqp://",
            "sqlserver://",
            "jdbc:postgresql://",
            "cockroachdb://",
            "?",
            "u:p@h;x@y",
            "p@ss:w0rd",
            "Server = tcp:db,1433;",
            "Initial Catalog=app;",
            "Pwd = ",
            "address=",
            "Address=10.0.0.1;",
            "Network Address=x;",
            "datasource=",
            ";;",
        ];
        let n = 3 + (r.next() % 40) as usize;
        (0..n)
            .map(|_| PIECES[(r.next() % PIECES.len() as u64) as usize])
            .collect()
    }

    #[test]
    fn windowed_matchers_agree_with_whole_text_patterns() {
        let mut r = Rng::new(2024);
        let dbs = [
            (find_postgres_conn as CodeMatcher, Db::Postgres),
            (find_mysql_conn, Db::Mysql),
            (find_mongodb_conn, Db::Mongo),
            (find_redis_conn, Db::Redis),
            (find_amqp_conn, Db::Amqp),
            (find_mssql_conn, Db::Mssql),
            (find_jdbc_conn, Db::Jdbc),
            (find_other_db_conn, Db::Other),
        ];
        for _ in 0..4000 {
            let text = piece_text(&mut r);
            assert_eq!(new_assignments(&text), old_assignments(&text), "{text:?}");
            for (find, db) in dbs {
                assert_eq!(spans(find, &text), old_conn(&text, db), "{db:?} {text:?}");
            }
            let basic_url = r#"(?i)(?-u:\b)(?:https?|ftps?|sftp|ssh|git|svn|smtps?|imaps?|pop3s?|ldaps?|wss?|socks5h?|rtsp|s3|webdav)://([^\s:@/"'<>`]{1,128}):([^\s/"'<>`]{1,256})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?::[0-9]{1,5})?)"#;
            let old = old_value_hits(basic_url, &text, |c| {
                let (all, user, pass) = (c.get(0)?, c.get(1)?.as_str(), c.get(2)?.as_str());
                let secret = if pass.eq_ignore_ascii_case("x-oauth-basic") {
                    user
                } else {
                    pass
                };
                let short_number = secret.bytes().all(|b| b.is_ascii_digit()) && secret.len() <= 5;
                (!short_number && real_password(user, secret) && !placeholder_value(user))
                    .then_some((all.start(), all.end()))
            });
            assert_eq!(spans(find_basic_auth_url, &text), old, "{text:?}");
            let bearer = r#"(?i:bearer)[ \t]+([A-Za-z0-9._~+/-]{16,}={0,2})"#;
            let old = old_value_hits(bearer, &text, |c| {
                let (all, m) = (c.get(0)?, c.get(1)?);
                if all.start() > 0 && is_word_byte(text.as_bytes()[all.start() - 1]) {
                    return None;
                }
                let v = m.as_str().trim_end_matches('.');
                (v.len() <= 4096 && keyed_value(v)).then_some((m.start(), m.start() + v.len()))
            });
            assert_eq!(spans(find_bearer_token, &text), old, "{text:?}");
            let prose = r#"(?i)(?-u:\b)(?:password|passcode|passphrase|passwd)[ \t]+(?:is|was|will be)[ \t]*:?[ \t]+["'`“]?([^\s"'`”]{6,64})"#;
            let old = old_value_hits(prose, &text, |c| {
                let m = c.get(1)?;
                let v = m.as_str().trim_end_matches(['.', ',', ';', ':', ')']);
                let ok = v.len() >= 6
                    && v.bytes().any(|b| b.is_ascii_alphabetic())
                    && v.bytes().any(|b| !b.is_ascii_alphabetic() && b != b'_')
                    && !placeholder_value(v)
                    && !looks_like_path_or_url(v)
                    && !is_code_reference(v);
                ok.then_some((m.start(), m.start() + v.len()))
            });
            assert_eq!(spans(find_password_prose, &text), old, "{text:?}");
            let header = r#"(?i)(?:authorization|auth)["']?[ \t]*[:=][ \t]*["']?basic[ \t]+([A-Za-z0-9+/]{6,400}={0,2})"#;
            let old = old_value_hits(header, &text, |c| {
                let m = c.get(1)?;
                if text
                    .as_bytes()
                    .get(m.end())
                    .is_some_and(|&b| is_token_byte(b))
                {
                    return None;
                }
                let decoded = String::from_utf8(b64_decode(m.as_str())?).ok()?;
                let (user, pass) = decoded.split_once(':')?;
                let ok = !user.is_empty()
                    && !pass.is_empty()
                    && decoded.chars().all(|c| !c.is_control())
                    && real_password(user, pass);
                ok.then_some((m.start(), m.end()))
            });
            assert_eq!(spans(find_basic_auth_header, &text), old, "{text:?}");
            let curl = r#"(?im)(?-u:\b)curl(?-u:\b)[^\r\n]{0,300}?[ \t](?:-u[ \t]*|--user[ \t=]+)["']?([^\s"':]{1,64}):([^\s"']{1,128})"#;
            let old = old_value_hits(curl, &text, |c| {
                let (user, pass) = (c.get(1)?, c.get(2)?);
                let p = pass.as_str();
                let ok = p.len() >= 4
                    && !p.bytes().all(|b| b.is_ascii_digit())
                    && real_password(user.as_str(), p)
                    && !placeholder_value(user.as_str());
                ok.then_some((user.start(), pass.end()))
            });
            assert_eq!(spans(find_curl_user, &text), old, "{text:?}");
            // The old pattern with the password key as group 1. Only keys written as the
            // detector's triggers (`password=`, `pwd=`) count: hits must lie near a trigger.
            let adonet = r#"(?i)(?-u:\b)(?:server|data source|host|address|addr|network address|datasource)[ \t]*=[^;"'\r\n]{1,200};(?:[^;"'\r\n]{0,100};){0,8}?[ \t]*((?:password|pwd)[ \t]*=)[ \t]*([^;"'\r\n]{1,128})"#;
            let old = old_value_hits(adonet, &text, |c| {
                let (all, key, pass) = (c.get(0)?, c.get(1)?, c.get(2)?);
                let value = pass.as_str().trim_end();
                let trigger = !key.as_str().contains([' ', '\t']);
                (trigger && !value.contains(' ') && real_password("", value))
                    .then_some((all.start(), pass.start() + value.len()))
            });
            assert_eq!(spans(find_adonet_conn, &text), old, "{text:?}");
        }
    }
}
