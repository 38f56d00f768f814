//! Endpoint resolution: explicit endpoint, then the official environment
//! override, then the service's region table.

use crate::client::ServiceInfo;
use crate::{Config, Error};

/// The environment variable that overrides a service's endpoint in a region, as
/// the official SDKs name it: `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION_ID>` with
/// the region upper-cased and `-` turned into `_`.
pub fn override_variable(service: &ServiceInfo, region: &str) -> String {
    format!(
        "HUAWEICLOUD_SDK_REGION_{}_{}",
        service.env_key,
        region.to_ascii_uppercase().replace('-', "_")
    )
}

/// The endpoint for `service` under `config`, in this order: the configured
/// endpoint; the environment override for the configured region (the first of its
/// comma-separated endpoints); the region table.
pub fn resolve(config: &Config, service: &ServiceInfo) -> Result<String, Error> {
    if let Some(endpoint) = &config.endpoint {
        return Ok(with_scheme(endpoint));
    }
    let Some(region) = config.region.as_deref() else {
        return Err(Error::config(format!(
            "no region and no endpoint for {}: set Config::with_region (or HUAWEICLOUD_SDK_REGION), \
             or give the endpoint with Config::with_endpoint",
            service.name
        )));
    };
    let variable = override_variable(service, region);
    if let Ok(value) = std::env::var(&variable) {
        if let Some(first) = value.split(',').map(str::trim).find(|s| !s.is_empty()) {
            return Ok(with_scheme(first));
        }
    }
    if let Some((_, url)) = service.endpoints.iter().find(|(r, _)| *r == region) {
        return Ok((*url).to_owned());
    }
    if service.endpoints.is_empty() && service.endpoint_template.contains("{region}") {
        return Ok(service.endpoint_template.replace("{region}", region));
    }
    let known: Vec<&str> = service.endpoints.iter().map(|(r, _)| *r).collect();
    Err(Error::config(format!(
        "unknown region `{}` for {}; known regions: {}. For another region give the endpoint \
         with Config::with_endpoint or the environment variable {}",
        crate::error::shown(region),
        service.name,
        known.join(", "),
        crate::error::shown(&variable)
    )))
}

fn with_scheme(endpoint: &str) -> String {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if endpoint.contains("://") {
        endpoint.to_owned()
    } else {
        format!("https://{endpoint}")
    }
}
