import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { TEAM_ROLES, type TeamRole } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field, postButton } from '../views/components.js';
import { formatTime, type Translate } from '../i18n/index.js';
import type { InviteProblem } from '../services/team.js';
import { actor, developer, devPage, requireDeveloper, role } from './guard.js';

const tags = ['Dashboard'];
export const MEMBERS_PATH = '/dashboard/account/members';
const owner = { role: 'owner' as const };
const DONE = ['invited', 'changed', 'removed', 'revoked'] as const;

export const roleLabel = (t: Translate, r: TeamRole) => t(`team.role.${r}`);

/** Who works in the account and with which role: everyone sees the list, owners invite, change roles and remove. */
export function membersRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get(MEMBERS_PATH, { schema: { tags, summary: 'Team members, their roles and open invitations' }, preHandler }, async (req, reply) => page(s, req, reply));

    app.post(MEMBERS_PATH, { schema: { tags, summary: 'Invite a team member by e-mail' }, preHandler, config: owner }, async (req, reply) => {
      const { t } = ctx(req);
      const f = formOf(req);
      const email = str(f, 'email', 200);
      const wanted = str(f, 'role', 20);
      const r = await s.team.invite(access(req), email, wanted, (link, days) => ({
        subject: t('team.mailSubject', { account: developer(req).name }),
        text: t('team.mailBody', { name: actor(req).name, account: developer(req).name, role: roleLabel(t, wanted as TeamRole), link, days }),
      }));
      if (!r.ok) return page(s, req, reply, { problem: r.problem, email, role: wanted });
      return redirect(reply, `${MEMBERS_PATH}?done=invited`);
    });

    app.post(`${MEMBERS_PATH}/:developerId/role`, { schema: { tags, summary: 'Change the role of a team member' }, preHandler, config: owner }, async (req, reply) => {
      const r = await s.team.setRole(access(req), idOf(req), str(formOf(req), 'role', 20));
      if (!r.ok) return page(s, req, reply, { refusal: r.reason });
      return redirect(reply, `${MEMBERS_PATH}?done=changed`);
    });

    app.post(`${MEMBERS_PATH}/:developerId/remove`, { schema: { tags, summary: 'Remove a team member' }, preHandler, config: owner }, async (req, reply) => {
      const r = await s.team.remove(access(req), idOf(req));
      if (!r.ok) return page(s, req, reply, { refusal: r.reason });
      return redirect(reply, `${MEMBERS_PATH}?done=removed`);
    });

    app.post(`${MEMBERS_PATH}/invites/:inviteId/revoke`, { schema: { tags, summary: 'Withdraw an open invitation' }, preHandler, config: owner }, async (req, reply) => {
      const ok = await s.team.revoke(access(req), (req.params as { inviteId: string }).inviteId);
      if (!ok) return page(s, req, reply, { refusal: 'not-member' });
      return redirect(reply, `${MEMBERS_PATH}?done=revoked`);
    });
  };
}

const idOf = (req: FastifyRequest) => (req.params as { developerId: string }).developerId;
const access = (req: FastifyRequest) => ({ actor: actor(req), account: developer(req), role: role(req) });

type Problem = { problem?: InviteProblem; email?: string; role?: string; refusal?: 'last-owner' | 'holder' | 'not-member' | 'role' };

async function page(s: WebServices, req: FastifyRequest, reply: FastifyReply, p: Problem = {}): Promise<FastifyReply> {
  const { t, lang, csrf } = ctx(req);
  const account = developer(req);
  const me = actor(req);
  const [members, invites] = await Promise.all([s.team.members(account), s.team.pending(account.id)]);
  const done = DONE.find((d) => d === (req.query as Record<string, string>).done);
  const refusal = p.refusal === 'last-owner' ? t('team.lastOwner') : p.refusal === 'holder' ? t('team.holderStays') : p.refusal ? t('team.notFound') : undefined;
  const roleOptions = (current: string, id: string, label: string): SafeHtml => html`<select id="${id}" name="role" aria-label="${label}">${TEAM_ROLES.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${roleLabel(t, r)}</option>`)}</select>`;
  const rows = members.map((m) => {
    const d = m.developer;
    const base = `${MEMBERS_PATH}/${encodeURIComponent(d.id)}`;
    return html`<tr data-member="${d.email}"><td>${d.name}${d.id === me.id ? html` <span class="badge">${t('team.you')}</span>` : ''}${m.holder ? html` <span class="badge">${t('team.holder')}</span>` : ''}</td><td>${d.email}</td>
<td><span class="badge ok" data-role="${m.role}">${roleLabel(t, m.role)}</span></td><td>${formatTime(lang, m.since)}</td>
<td><form method="post" action="${base}/role" class="inline">${csrfInput(csrf)}${roleOptions(m.role, `role-${d.id}`, t('team.roleOf', { name: d.name }))} <button type="submit" class="secondary" id="set-role-${d.id}">${t('team.setRole')}</button></form>
${m.holder ? '' : postButton(`${base}/remove`, t('team.remove'), csrf, { danger: true, confirm: t('team.removeConfirm', { name: d.name }), id: `remove-${d.id}` })}</td></tr>`;
  });
  const inviteRows = invites.map((i) => html`<tr data-invite="${i.email}"><td>${i.email}</td><td>${roleLabel(t, i.role as TeamRole)}</td><td>${formatTime(lang, i.expires_at)}</td>
<td>${postButton(`${MEMBERS_PATH}/invites/${encodeURIComponent(i.id)}/revoke`, t('team.revoke'), csrf, { id: `revoke-${i.id}` })}</td></tr>`);
  const emailError = p.problem === 'email' ? t('team.badEmail') : p.problem === 'member' ? t('team.alreadyMember') : p.problem === 'limit' ? t('team.tooMany') : undefined;
  const status = p.problem || p.refusal ? (p.refusal === 'not-member' ? 404 : 400) : 200;
  return devPage(req, reply, t('team.title'), html`${done ? alert('ok', t(`team.done.${done}`)) : ''}${refusal ? alert('error', refusal) : ''}
<h1>${t('team.title')}</h1><p>${t('team.intro', { account: account.name })}</p>
<dl class="kv roles">${TEAM_ROLES.map((r) => html`<dt>${roleLabel(t, r)}</dt><dd>${t(`team.roleHint.${r}`)}</dd>`)}</dl>
<section class="card"><h2 id="members-title">${t('team.members')}</h2><div class="table-wrap" role="region" aria-labelledby="members-title" tabindex="0"><table id="members">
<thead><tr><th scope="col">${t('field.name')}</th><th scope="col">${t('field.email')}</th><th scope="col">${t('team.role')}</th><th scope="col">${t('team.since')}</th><th scope="col">${t('team.actions')}</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>
<section class="card"><h2 id="invites-title">${t('team.pending')}</h2>${invites.length === 0 ? html`<p class="muted" id="no-invites">${t('team.noInvites')}</p>`
    : html`<div class="table-wrap" role="region" aria-labelledby="invites-title" tabindex="0"><table id="invites"><thead><tr><th scope="col">${t('field.email')}</th><th scope="col">${t('team.role')}</th><th scope="col">${t('team.expires')}</th><th scope="col">${t('team.actions')}</th></tr></thead><tbody>${inviteRows}</tbody></table></div>`}</section>
<section class="card" aria-labelledby="invite-title"><h2 id="invite-title">${t('team.invite')}</h2>
<form method="post" action="${MEMBERS_PATH}" novalidate>${csrfInput(csrf)}
${field({ label: t('field.email'), name: 'email', type: 'email', value: p.email ?? '', required: true, autocomplete: 'off', error: emailError })}
<div class="field"><label for="invite-role">${t('team.role')}</label><select id="invite-role" name="role"${p.problem === 'role' ? html` aria-invalid="true"` : ''}>${TEAM_ROLES.map((r) => html`<option value="${r}"${r === (p.role ?? 'developer') ? html` selected` : ''}>${roleLabel(t, r)}</option>`)}</select></div>
<p><button type="submit" id="send-invite">${t('team.send')}</button></p></form></section>`, { status });
}
