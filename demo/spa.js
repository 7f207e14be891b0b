// The demo single-page app: three posts, navigation by history.pushState, one <parley-comments> element whose url
// attribute follows the post shown, so each post keeps its own thread, back and forward included.
const POSTS = {
  kettle: ['The kettle', 'A thermal fuse, a multimeter and a slow Sunday afternoon.'],
  lamp: ['The lamp', 'A frayed cord, a new plug and two screws that were not where they should have been.'],
  chair: ['The chair', 'Wood glue, four clamps and the patience to wait a whole night.'],
};

const slugOf = (path) => {
  const slug = path.replace(/^\/spa\/?/, '').replace(/\/$/, '');
  return slug in POSTS ? slug : 'kettle';
};

function show(slug) {
  const [title, text] = POSTS[slug];
  document.getElementById('title').textContent = title;
  document.getElementById('text').textContent = text;
  document.title = `${title} · Field Notes (single-page)`;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `/spa/${slug}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.querySelector('parley-comments').setAttribute('url', `${location.origin}/spa/${slug}`);
}

document.querySelector('nav').addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState(null, '', link.getAttribute('href'));
  show(slugOf(location.pathname));
});

window.addEventListener('popstate', () => show(slugOf(location.pathname)));

show(slugOf(location.pathname));
