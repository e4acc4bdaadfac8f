// The code lens above a cloudflared ingress rule that publishes Kasm names the zone settings Kasm's
// guide asks for; clicking it shows them with a way to copy them and to open Kasm's documentation of
// the zone settings (the 1.16 release's page: the version of the tree the project is tested on).

import * as vscode from 'vscode';

export interface KasmZoneSettings {
  /** The tunnel's public host name: what Kasm's Upstream Auth Address must be. */
  hostname: string;
}

export const KASM_ZONE_DOCS = 'https://kasmweb.com/docs/1.16.0/guide/zones/deployment_zones.html';

export async function showKasmZoneSettings(settings: KasmZoneSettings | undefined): Promise<void> {
  if (!settings?.hostname) return;
  const values = `Upstream Auth Address: ${settings.hostname}\nProxy Port: 0`;
  const copy = 'Copy the values';
  const docs = "Open Kasm's zone documentation";
  const choice = await vscode.window.showInformationMessage(
    `Kasm zone settings for this tunnel (Admin › Infrastructure › Zones › Edit; they apply to new sessions only): Upstream Auth Address = ${settings.hostname}, Proxy Port = 0.`,
    copy,
    docs,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(values);
    void vscode.window.showInformationMessage('kasmlint: the Kasm zone values are on the clipboard.');
  } else if (choice === docs) {
    await vscode.env.openExternal(vscode.Uri.parse(KASM_ZONE_DOCS));
  }
}
