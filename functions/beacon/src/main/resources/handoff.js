/*! Handoff browser tracking (PRODUCT §2.4). Embed with:
 *  <script src="BASE/handoff.js" data-endpoint="BASE" async></script>
 * Keeps a first-party visitor id (cookie handoff_vid, 13 months), sends PageViewed on each page load and
 * SessionStarted after 30 minutes of inactivity (cookie handoff_sid), and adds the visitor id, the page and the
 * campaign (utm) fields to every form that posts to BASE/forms/.../submissions, so a form post identifies the
 * visitor. Dependency-free; every failure is swallowed here, so the host page never breaks. */
(function (w, d) {
  'use strict';
  try {
    if (w.__handoffLoaded) return;
    w.__handoffLoaded = true;

    var YEAR13 = 34214400; // 396 days, in seconds: 13 months
    var SESSION = 1800; // 30 minutes of inactivity
    var UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];

    var me = d.currentScript;
    if (!me) {
      var all = d.getElementsByTagName('script');
      for (var i = 0; i < all.length; i++) {
        if (/\/handoff\.js(\?|#|$)/.test(all[i].src || '')) { me = all[i]; break; }
      }
    }
    if (!me) return;
    var base = me.getAttribute('data-endpoint') || (me.src || '').replace(/\/handoff\.js([?#].*)?$/, '');
    base = base.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(base)) return;

    var secure = location.protocol === 'https:' ? '; Secure' : '';

    function id() {
      var c = w.crypto, s = '', b, k;
      if (c && c.getRandomValues) {
        b = c.getRandomValues(new Uint8Array(16));
        for (k = 0; k < b.length; k++) s += (b[k] < 16 ? '0' : '') + b[k].toString(16);
        return s;
      }
      for (k = 0; k < 4; k++) s += Math.random().toString(36).slice(2, 10);
      return s.replace(/[^a-z0-9]/g, '').slice(0, 32) || String(+new Date());
    }

    function read(name) {
      var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
      if (!m) return null;
      try { return decodeURIComponent(m[1]); } catch (e) { return null; }
    }

    function write(name, value, maxAge) {
      d.cookie = name + '=' + encodeURIComponent(value) + '; Path=/' + (maxAge ? '; Max-Age=' + maxAge : '') +
        '; SameSite=Lax' + secure;
    }

    function valid(v) {
      return v && /^[A-Za-z0-9_-]{8,128}$/.test(v);
    }

    var vid = read('handoff_vid');
    if (!valid(vid)) vid = id();
    write('handoff_vid', vid, YEAR13); // rolling: 13 months from the last visit

    var newSession = !valid(read('handoff_sid'));
    write('handoff_sid', newSession ? id() : read('handoff_sid'), SESSION);

    // Campaign fields: kept from the landing page for the session, so a form on a later page still carries them.
    var params = {}, q = (location.search || '').replace(/^\?/, '').split('&');
    for (var j = 0; j < q.length; j++) {
      var kv = q[j].split('=');
      try { params[decodeURIComponent(kv[0])] = decodeURIComponent((kv[1] || '').replace(/\+/g, ' ')); } catch (e) {}
    }
    var utm = null, landing = {}, tagged = false;
    try { utm = JSON.parse(read('handoff_utm') || 'null'); } catch (e) {}
    for (var u = 0; u < UTM.length; u++) {
      if (params[UTM[u]]) { landing[UTM[u]] = params[UTM[u]].slice(0, 500); tagged = true; }
    }
    if (tagged || newSession || !utm) {
      // A new landing: its campaign, and where the visitor came from when that was another site.
      if (d.referrer && d.referrer.indexOf(location.protocol + '//' + location.host + '/') !== 0) {
        landing.referrer = d.referrer.slice(0, 2048);
      }
      utm = landing;
    }
    write('handoff_utm', JSON.stringify(utm || {}), SESSION);

    function send(type) {
      var body = { type: type, visitorId: vid, eventId: id(), url: location.href.slice(0, 2048) };
      if (d.referrer) body.referrer = d.referrer.slice(0, 2048);
      var text = JSON.stringify(body), url = base + '/t';
      try {
        // A string is sent as text/plain: a simple request, no CORS preflight; it survives the page unloading.
        if (navigator.sendBeacon && navigator.sendBeacon(url, text)) return;
      } catch (e) {}
      try {
        if (w.fetch) {
          w.fetch(url, { method: 'POST', body: text, keepalive: true, credentials: 'omit', mode: 'cors',
            headers: { 'Content-Type': 'text/plain' } })['catch'](function () {});
        }
      } catch (e) {}
    }

    function ours(form) {
      var action = form.getAttribute('action');
      if (!action) return false;
      var a = d.createElement('a');
      a.href = action; // resolves a relative action against the page
      var href = (a.href || '').split(/[?#]/)[0];
      return href.indexOf(base + '/forms/') === 0 && /\/forms\/[^/]+\/submissions\/?$/.test(href);
    }

    function hidden(form, name, value) {
      if (!value) return;
      var field = form.elements && form.elements[name];
      if (field) {
        // Only our own hidden fields are kept up to date; a field the site put there is the site's.
        if (field.getAttribute && field.getAttribute('data-handoff') === '1') field.value = value;
        return;
      }
      var input = d.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      input.setAttribute('data-handoff', '1');
      form.appendChild(input);
    }

    function tag(form) {
      try {
        if (!form || form.tagName !== 'FORM' || !ours(form)) return;
        hidden(form, 'visitorId', vid);
        hidden(form, 'pageUrl', location.href.slice(0, 2048));
        if (utm) {
          for (var n in utm) if (Object.prototype.hasOwnProperty.call(utm, n)) hidden(form, n, utm[n]);
        }
      } catch (e) {}
    }

    function tagAll() {
      try {
        for (var f = 0; f < d.forms.length; f++) tag(d.forms[f]);
      } catch (e) {}
    }

    // Capture phase: the fields are in place before the site's own submit handlers run (they may read the form
    // into FormData and post it themselves); nothing here prevents or changes the site's handling.
    d.addEventListener('submit', function (e) { tag(e.target); }, true);
    if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', tagAll);
    else tagAll();

    if (newSession) send('SessionStarted');
    send('PageViewed');
  } catch (e) {
    // Never break the host page.
  }
})(window, document);
