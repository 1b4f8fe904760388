/**
 * Heuristics of the HTML extractor as named, checked data: which tags never hold article text,
 * which class/id words mark page chrome, which short lines are chrome whatever their markup,
 * and the thresholds of the content scoring. Validated by zod at load, so a bad edit fails fast.
 * A site's chrome is added here (patterns, phrases), not in code.
 */
import { z } from 'zod';

const patternList = z.array(z.string().min(1)).min(1);

const HtmlRulesSchema = z.object({
  /** Elements dropped with their content before anything else (never article text). */
  dropTags: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)),
  /** Elements whose subtree is page chrome by definition of the tag. */
  chromeTags: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)),
  /** ARIA roles of chrome containers. */
  chromeRoles: z.array(z.string()),
  /**
   * Class/id fragments (regex source, case-insensitive) that mark chrome so surely that they
   * are removed even when they hold long text (comment threads, related-article teasers).
   */
  strongChrome: patternList,
  taxonomyClassTokens: z.string(),
  /** Class/id fragments that mark chrome unless the element holds a lot of prose (layout wrappers). */
  weakChrome: patternList,
  /** Class/id fragments of the article body: a small score bonus, never a blind pick. */
  contentHints: patternList,
  /** Class/id words of content wrappers, which overrule a strong chrome word on the same element. */
  contentWords: patternList,
  /**
   * Class/id fragments of embedded posts (tweets, Instagram posts) quoted by the article: part of
   * its text even though their markup says "social".
   */
  embeddedPosts: patternList,
  /** Class/id fragments of captions and photo credits (moved to captions[]). */
  captionHints: patternList,
  /** Class/id fragments of the credit inside a caption. */
  creditHints: patternList,
  /** A credit written at the end of a caption ("… Photo: Jane Doe", "… (Getty Images)"); group 1 is the credit. */
  trailingCredit: z.string(),
  /** Class/id fragments of text that is visually hidden (screen-reader only). */
  hiddenHints: patternList,
  /** Whole-line chrome phrases (regex source, case-insensitive, matched against a trimmed block). */
  chromeLines: patternList,
  /**
   * Lines that announce a list of other stories ("More great stories", "Related:"): the line and
   * everything after it in the same parent block are cut (whole-line regex, case-insensitive).
   */
  relatedHeadings: patternList,
  /** How a line naming the author starts ("By Jane Doe"): cut from the body, kept as an author. */
  bylinePrefix: z.string(),
  /** Where each metadata field is read from, in order of trust (meta name/property, lower case). */
  metaSources: z.object({
    title: z.array(z.string()),
    authors: z.array(z.string()),
    publishedAt: z.array(z.string()),
    modifiedAt: z.array(z.string()),
    siteName: z.array(z.string()),
    language: z.array(z.string()),
    description: z.array(z.string()),
    section: z.array(z.string()),
    tags: z.array(z.string()),
    leadImage: z.array(z.string()),
  }),
  /** A " | Suffix" of at most this many words is taken for the site's name and stripped from titles. */
  titleSuffixMaxWords: z.number().int().positive(),
  thresholds: z.object({
    /** A run of inline text at least this long, with low link density, counts as prose. */
    proseMinChars: z.number().int().positive(),
    /** Link density above which a run is navigation, not prose. */
    proseMaxLinkDensity: z.number().min(0).max(1),
    /** Weight of non-prose text (short lines, link text) against a container's prose. */
    chromePenalty: z.number().nonnegative(),
    /** Weight of short non-link lines (sub-headings, datelines) against a container. */
    shortLinePenalty: z.number().nonnegative(),
    /** Relative bonus for containers that look like the article body by structure or name. */
    contentHintBonus: z.number().nonnegative(),
    /** Weak chrome patterns do not remove an element holding this much prose. */
    weakChromeKeepChars: z.number().int().positive(),
    /** Inside the container, a weakly named block holding this share of its prose is kept. */
    weakChromeKeepShare: z.number().min(0).max(1),
    /** Sibling blocks alike in markup, each with links and less prose than this, are teaser cards. */
    cardMaxProse: z.number().int().positive(),
    /** A teaser card's headline link makes at least this share of its text. */
    cardMinLinkDensity: z.number().min(0).max(1),
    /** How many alike siblings make a list of teaser cards. */
    cardMinRepeats: z.number().int().min(2),
    /** Strong chrome names do not remove a block holding this much prose that also names itself content. */
    strongChromeKeepChars: z.number().int().positive(),
    /** Blocks with link density above this are cut (link lists inside the article). */
    blockMaxLinkDensity: z.number().min(0).max(1),
    /** JSON-LD articleBody counts as evidence only when it has this many 3-word shingles. */
    evidenceMinShingles: z.number().int().positive(),
    /** A candidate replaces the scored pick only if it agrees with articleBody by this much more (F1). */
    evidenceMinGain: z.number().min(0).max(1),
    /** How many ancestors of the scored pick are weighed against articleBody. */
    evidenceAncestors: z.number().int().nonnegative(),
    /** How many scored runners-up are weighed against articleBody. */
    evidenceCandidates: z.number().int().positive(),
    /** A table with at least this many rows (and no paragraphs inside) is a data table. */
    dataTableMinRows: z.number().int().positive(),
    /** Weight of a data table's text as prose (its cells are short lines, but they are content). */
    dataTableProseWeight: z.number().min(0).max(1),
    /** Headings are cut only when nearly all link (a teaser headline, not a sub-heading). */
    headingMaxLinkDensity: z.number().min(0).max(1),
    /** A link-dense block ending like a sentence and at least this many words long is kept. */
    linkedSentenceMinWords: z.number().int().positive(),
    /** Chrome lines longer than this are kept: a sentence that mentions "advertisement" is text. */
    chromeLineMaxChars: z.number().int().positive(),
  }),
});
export type HtmlRules = z.infer<typeof HtmlRulesSchema>;

export const htmlRules: HtmlRules = HtmlRulesSchema.parse({
  dropTags: [
    'script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'embed', 'video',
    'audio', 'map', 'button', 'input', 'select', 'textarea', 'option', 'link', 'meta', 'head', 'dialog',
  ],
  chromeTags: ['nav', 'aside', 'footer', 'form', 'menu'],
  chromeRoles: ['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alertdialog', 'menu', 'menubar'],
  strongChrome: [
    'share', 'sharing', 'social', 'newsletter', 'subscri', 'signup', 'sign-up', 'related', 'recommend',
    'recirc', 'most-?read', 'most-?popular', 'trending', 'comment', 'disqus', 'cookie', 'consent', 'gdpr',
    'paywall', 'regwall', 'promo', 'outbrain', 'taboola', 'breadcrumb', 'pagination',
    'author-?(bio|box|card|profile|details)', 'about-?the-?author', 'next-?prev', 'prev(ious)?-?next',
    'post-?nav', 'read-?more', 'more-?(news|stories|posts|articles|from)', 'popup', 'modal', 'tooltip',
    'print-?only', 'skip-?link', 'follow-?us',
  ],
  weakChrome: [
    'advert', 'sponsor', '(^|[-_ ])ads?([-_ ]|$)', 'dfp', 'gpt-ad', 'masthead', 'byline', 'dateline',
    'timestamp', 'published', 'toolbar', 'overlay', 'tags-?list', 'tag-?cloud', '(^|[-_ ])tags([-_ ]|$)',
    'author-?info', 'article-?meta', 'post-?meta', 'entry-?meta', 'rating', 'video-?player', 'playlist',
    'slideshow', 'gallery', 'sidebar', 'side-?bar', 'widget', 'menu', '(^|[-_ ])nav', 'header', 'footer',
    'banner', 'rail', 'teaser', 'hidden', 'meta', 'links', 'module', 'utility', 'toolbox', 'extra',
    'alert', 'notice',
  ],
  /**
   * Class tokens that name the article's own taxonomy (WordPress "tag-social-media",
   * "category-news"): ignored before matching, or a post tagged "social" would be chrome.
   */
  taxonomyClassTokens: '(^|\\s)(tag|category|categories|topic|format|status|type)-\\S*',
  contentHints: [
    'article-?body', 'articlebody', 'story-?body', 'entry-?content', 'post-?content', 'article-?content',
    'article-?text', 'story-?content', 'body-?text', 'post-?body', 'main-?content', 'content-?body',
  ],
  contentWords: ['content', 'article', 'story', 'entry', 'post', 'body', 'text', 'main'],
  embeddedPosts: ['(^|[-_ ])embed', 'twitter-tweet', 'instagram-media', 'tiktok-embed', 'fb-post'],
  captionHints: ['caption', 'credit', 'photo-?info', 'image-?info', 'media-?info', 'wp-caption'],
  creditHints: ['credit', 'copyright', 'source', 'byline', 'attribution'],
  trailingCredit: '((?:photo|image|picture|foto|credit)s?(?: by)?:?\\s+[^.]{2,60}|\\((?:[^()]*(?:getty|reuters|afp|ap photo|shutterstock|epa)[^()]*)\\))$',
  hiddenHints: ['sr-only', 'visually-?hidden', 'screen-?reader', 'offscreen', 'a11y'],
  chromeLines: [
    'advertisement', 'advertising', 'advert', 'ad', 'sponsored( content)?', 'story continues below', 'continue reading',
    'read more', 'read more:?.*', 'see also:?.*', 'related:.*', 'related (articles|stories|coverage|content)',
    'most (read|popular|viewed)', 'share( this)?( (article|story|post))?', 'share (on|via) .*', 'tweet',
    'email', 'print', 'comments?', 'no comments yet\\.?', 'hashtags', 'sign up for (our|the) .*newsletter.*',
    'subscribe( now)?( to .*)?', '.{0,60}\\bsubscribe to .{0,40}newsletters?\\.?', '(click|tap) here .*', 'follow us( on .*)?', 'all rights reserved\\.?.*',
    '(©|copyright) .*', 'skip (to|ad).*', 'loading\\.*', 'image( \\d+ of \\d+)?', 'photo:?.*', 'video:?.*',
    'listen( to this article)?.*', 'we use cookies.*', 'accept( all)?( cookies)?', 'back to top',
    'this article (originally|first) appeared .*', 'recommended( for you)?', 'you (may|might) also like.*',
    '.*\\bclick here\\b.*', '.*\\bsign up\\b.*\\bnewsletter\\b.*', '.*\\bnewsletters?\\b.*\\binbox\\b.*',
    '\\[\\w+[^\\]]*\\].*\\[/\\w+\\]', 'more from .*', 'more:?', 'related news', 'source:? [^.]{0,40}',
    '(first |last )?(published|updated|posted|modified)( on| at)?:? [^.]{0,40}\\d[^.]{0,30}', 'trending( now)?', 'getty images', 'ap photo.*', 'reuters',
  ],
  relatedHeadings: [
    'more( \\S+){0,3} (stories|articles|news|reads|coverage|posts)( from .*)?:?', 'related( \\S+){0,2}:?',
    'more:', 'see also:?', 'read (more|next|also):?', 'recommended( (for you|reading|stories))?:?',
    'you (may|might) (also )?like.*', 'most (read|popular|viewed|shared)( .{0,30})?', 'popular (stories|articles|now)',
    'trending( (now|stories))?', 'latest (news|stories|headlines)', 'further reading:?',
  ],
  bylinePrefix: '^(by|written by|words by|reporting by|posted by)\\s+',
  metaSources: {
    title: ['og:title', 'twitter:title'],
    authors: ['author', 'article:author', 'parsely-author', 'dc.creator'],
    publishedAt: ['article:published_time', 'datepublished', 'pubdate', 'publish-date', 'parsely-pub-date', 'dc.date', 'date'],
    modifiedAt: ['article:modified_time', 'og:updated_time', 'datemodified', 'last-modified'],
    siteName: ['og:site_name', 'application-name'],
    language: ['og:locale', 'language', 'content-language'],
    description: ['og:description', 'description', 'twitter:description'],
    section: ['article:section', 'parsely-section'],
    tags: ['article:tag', 'keywords', 'news_keywords', 'parsely-tags'],
    leadImage: ['og:image', 'twitter:image', 'twitter:image:src'],
  },
  titleSuffixMaxWords: 4,
  thresholds: {
    proseMinChars: 80,
    proseMaxLinkDensity: 0.33,
    chromePenalty: 1,
    shortLinePenalty: 0.3,
    contentHintBonus: 0.15,
    weakChromeKeepChars: 800,
    strongChromeKeepChars: 200,
    weakChromeKeepShare: 0.5,
    cardMaxProse: 400,
    cardMinRepeats: 3,
    cardMinLinkDensity: 0.15,
    blockMaxLinkDensity: 0.5,
    chromeLineMaxChars: 160,
    linkedSentenceMinWords: 14,
    headingMaxLinkDensity: 0.9,
    dataTableMinRows: 4,
    dataTableProseWeight: 0.5,
    evidenceMinShingles: 40,
    evidenceMinGain: 0.15,
    evidenceAncestors: 3,
    evidenceCandidates: 5,
  },
});

function anyOf(patterns: string[], anchored = false): RegExp {
  const body = patterns.map((p) => `(?:${p})`).join('|');
  return new RegExp(anchored ? `^(?:${body})$` : body, 'i');
}

/** The rules compiled once: one regex per list instead of a loop over patterns per element. */
export const compiledRules = {
  dropTags: new Set(htmlRules.dropTags),
  chromeTags: new Set(htmlRules.chromeTags),
  chromeRoles: new Set(htmlRules.chromeRoles),
  strongChrome: anyOf(htmlRules.strongChrome),
  weakChrome: anyOf(htmlRules.weakChrome),
  contentHints: anyOf(htmlRules.contentHints),
  captionHints: anyOf(htmlRules.captionHints),
  creditHints: anyOf(htmlRules.creditHints),
  trailingCredit: new RegExp(htmlRules.trailingCredit, 'i'),
  embeddedPosts: anyOf(htmlRules.embeddedPosts),
  contentWords: anyOf(htmlRules.contentWords),
  hiddenHints: anyOf(htmlRules.hiddenHints),
  taxonomyClassTokens: new RegExp(htmlRules.taxonomyClassTokens, 'gi'),
  chromeLine: anyOf(htmlRules.chromeLines, true),
  relatedHeading: anyOf(htmlRules.relatedHeadings, true),
  bylinePrefix: new RegExp(htmlRules.bylinePrefix, 'i'),
  /** A byline is short: a sentence that happens to start with "By" is text. */
  bylineLine: new RegExp(`${htmlRules.bylinePrefix}\\S.{0,80}$`, 'i'),
  t: htmlRules.thresholds,
};
