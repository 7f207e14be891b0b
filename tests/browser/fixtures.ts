/*
 * Threads shaped like real blog comment sections: long multi-paragraph comments with curly quotes and dashes,
 * a commenter correcting her own typo in a reply, the post's author answering nearly everyone, a back-and-forth
 * deeper than the widget nests, an anonymous question, a comment that ends in blank lines.
 */

export interface SeedComment {
  name?: string;
  body: string;
  replies?: SeedComment[];
}

export const REPAIR_THREAD: SeedComment[] = [
  {
    name: 'Dana Whitfield',
    body: [
      'This is the push I needed. Our toaster has been “mostly working” for a year — one side browns, the other just warms the bread — and I kept telling myself it wasn’t worth the bother.',
      'After reading this I opened it up (unplugged, I promise). One of the two elements had a visible break in the wire, right where it wraps around the mica sheet. I haven’t fixed it yet, but knowing *where* it’s broken already feels like half the job.',
      'Is there a way to tell whether a replacement element will fit before ordering one?',
    ].join('\n\n'),
    replies: [
      { name: 'Dana Whitfield', body: '**which element, not “what” — sorry, typing on a phone.' },
      {
        name: 'Mira Okafor',
        body: 'Dana, measure the length of the mica card and note the wattage printed on the label underneath. Most spares list both. And yes: finding the break *is* half the job.',
      },
    ],
  },
  {
    name: 'Tomasz',
    body: 'The bit about tugging the crimp is exactly right. My first try at this went loose after a week.\n\n\n',
    replies: [
      {
        name: 'Mira Okafor',
        body: 'A week! Did it fail safe at least?',
        replies: [
          {
            name: 'Tomasz',
            body: 'It did, the kettle simply stopped. Second crimp has held for two years now.',
            replies: [
              {
                name: 'Mira Okafor',
                body: 'Two years is a proper repair. Which crimping tool do you use?',
                replies: [
                  {
                    name: 'Tomasz',
                    body: 'A ratcheting one — the kind that won’t let go until the crimp is complete.',
                    replies: [{ name: 'Mira Okafor', body: 'Adding one to my list. Thank you!' }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    body: 'Does the same go for [thermal fuses in hair dryers](https://example.com/fuses)? Mine is rated `10A 216°C`.',
  },
];

/** Comments in depth-first order with the index of each one's parent, ready to post one after another. */
export function flatten(
  thread: SeedComment[],
  parent = -1,
  out: Array<SeedComment & { parent: number }> = [],
) {
  for (const comment of thread) {
    out.push({ ...comment, parent });
    flatten(comment.replies ?? [], out.length - 1, out);
  }
  return out;
}

/** Posts a thread through the public API, as readers would. Returns the ids in depth-first order. */
export async function seedThread(
  apiOrigin: string,
  pageUrl: string,
  thread: SeedComment[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const { name, body, parent } of flatten(thread)) {
    const response = await fetch(`${apiOrigin}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: pageUrl, name, body, parentId: ids[parent] }),
    });
    if (response.status !== 201)
      throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { comment: { id: string } };
    ids.push(created.comment.id);
  }
  return ids;
}
