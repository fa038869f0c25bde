/**
 * Which cloud provider, if any, this machine runs on, from the firmware strings Linux exposes in
 * /sys/class/dmi/id (readable without root). The strings are the ones cloud-init's ds-identify
 * matches (cloud-init, tools/ds-identify: dmi_sys_vendor, dmi_product_name, dmi_chassis_asset_tag
 * checks per data source). No network request: a metadata server may be slow or firewalled.
 * Not found means unknown, not "not a cloud": a provider missing here still hosts VMs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DMI_ROOT = '/sys/class/dmi/id';

const RULES: ReadonlyArray<{ provider: string; file: string; match: RegExp }> = [
  { provider: 'aws', file: 'sys_vendor', match: /^Amazon EC2$/ },
  { provider: 'aws', file: 'bios_vendor', match: /^Amazon EC2$/ },
  { provider: 'gcp', file: 'product_name', match: /^Google Compute Engine$/ },
  { provider: 'azure', file: 'chassis_asset_tag', match: /^7783-7084-3265-9085-8269-3286-77$/ },
  { provider: 'oracle', file: 'chassis_asset_tag', match: /^OracleCloud\.com$/ },
  { provider: 'alibaba', file: 'product_name', match: /^Alibaba Cloud ECS$/ },
  { provider: 'digitalocean', file: 'sys_vendor', match: /^DigitalOcean$/ },
  { provider: 'hetzner', file: 'sys_vendor', match: /^Hetzner$/ },
  { provider: 'scaleway', file: 'sys_vendor', match: /^Scaleway$/ },
  { provider: 'openstack', file: 'product_name', match: /^OpenStack (Nova|Compute)$/ }
];

/** The provider's short name, or null when none is recognised (or DMI is unreadable). */
export function detectCloudProvider(root: string = DMI_ROOT): string | null {
  for (const rule of RULES) {
    let text: string;
    try {
      text = readFileSync(join(root, rule.file), 'utf8').trim();
    } catch {
      continue;
    }
    if (rule.match.test(text)) return rule.provider;
  }
  return null;
}
