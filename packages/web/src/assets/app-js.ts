/**
 * Progressive enhancement only: every page works without it. Auto-submits the language switcher,
 * asks before destructive actions, copies secrets, and refreshes live fragments (simulator console).
 */
export const APP_JS = `(function(){
document.addEventListener('change',function(e){var t=e.target;if(t&&t.hasAttribute&&t.hasAttribute('data-autosubmit')&&t.form)t.form.submit();});
document.addEventListener('submit',function(e){var f=e.target;var m=f&&f.getAttribute&&f.getAttribute('data-confirm');if(m&&!window.confirm(m)){e.preventDefault();return;}
var busy=f&&f.getAttribute&&f.getAttribute('data-busy');if(!busy)return;if(f.getAttribute('aria-busy')==='true'){e.preventDefault();return;}
f.setAttribute('aria-busy','true');var b=f.querySelector('button[type=submit]');if(b){b.disabled=true;b.textContent=busy;}
var n=f.querySelector('[data-busy-note]');if(n)n.hidden=false;});
document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('[data-copy]');if(!b)return;var i=document.getElementById(b.getAttribute('data-copy'));if(!i)return;
var text=i.tagName==='INPUT'||i.tagName==='TEXTAREA'?i.value:i.textContent;if(i.select)i.select();
var done=function(){var w=b.getAttribute('data-copied'),n=b.firstChild;if(!w||!n||n.nodeType!==3)return;var was=n.nodeValue;n.nodeValue=w;setTimeout(function(){n.nodeValue=was;},1500);};
if(navigator.clipboard){navigator.clipboard.writeText(text).then(done).catch(function(){});}else{try{document.execCommand('copy');done();}catch(_){}}});
function refresh(el){var url=el.getAttribute('data-refresh');var ms=Number(el.getAttribute('data-every')||'3000');
setInterval(function(){if(document.hidden)return;fetch(url,{credentials:'same-origin',headers:{accept:'text/html'}}).then(function(r){return r.ok?r.text():null;}).then(function(h){if(h!==null)el.innerHTML=h;}).catch(function(){});},ms);}
document.querySelectorAll('[data-refresh]').forEach(refresh);
})();`;
