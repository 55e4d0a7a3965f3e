// resolv.conf as kubelab reads it, for the node agent (the resolver pods inherit) and the DNS
// servers (where names outside the cluster go).

/** Resolver settings: name servers, search domains, options (as Docker's Dns, DnsSearch, DnsOptions take them). */
export interface DnsSettings {
  servers: string[];
  searches: string[];
  options: string[];
}

/** The nameserver, search (or domain) and options lines of a resolv.conf. */
export function parseResolvConf(text: string): DnsSettings {
  const out: DnsSettings = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest.filter(Boolean);
    else if (key === 'options') out.options.push(...rest.filter(Boolean));
  }
  return out;
}
