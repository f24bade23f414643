// Every page's code by its <body data-page> (the page table is
// src/page/page_shell_http.c; server-rendered pages need none).
import { accountRegister, accountLogin } from './account.js';
import { tipoffNew, tipoffFollow } from './tipoff.js';
import { operatorHome, operatorChange, operatorDeregister }
    from './operator.js';
import { operatorFiling } from './operator-filing.js';
import { reviewQueue, reviewCase } from './review.js';
import { reviewTipoffs, reviewTipoff } from './review-tipoff.js';
import { reviewOutbox } from './review-outbox.js';

export const pages = {
	'account-register': accountRegister,
	'account-login': accountLogin,
	'tipoff-new': tipoffNew,
	'tipoff-follow': tipoffFollow,
	'operator-home': operatorHome,
	'operator-filing': operatorFiling,
	'operator-change': operatorChange,
	'operator-deregister': operatorDeregister,
	'review-queue': reviewQueue,
	'review-case': reviewCase,
	'review-tipoffs': reviewTipoffs,
	'review-tipoff': reviewTipoff,
	'review-outbox': reviewOutbox,
};
