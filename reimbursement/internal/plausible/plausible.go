// Package plausible holds the plausibility rule of granted items that
// settlement (reimbursement.Options.MaxGrantedPerDay) and fees
// (fee.MaxGrantedPerDay) share, so that the two report the same items in
// the same words.
package plausible

import (
	"fmt"

	"github.com/hemtjanst/ersattning/models"
)

// Item says, in Swedish as a settlement's not-paid detail says it, why a
// granted item grants more than perDay minutes a day on average over its
// frequency's days (a month counts 31), or returns "" for an item within
// the limit. A subscription item grants no minutes and is always within
// it. Minutes and times are compared with the limit before they are
// multiplied, so no product can overflow for any perDay up to 1<<20
// (settlement's ceiling is 14 400).
func Item(it *models.GrantedItem, perDay int64) string {
	var days int64 // the frequency's days
	switch {
	case it.Subscription:
		return ""
	case it.MinutesPerMonth > 0:
		if int64(it.MinutesPerMonth) > 31*perDay {
			return fmt.Sprintf("%d minuter per månad, mer än %d om dagen", it.MinutesPerMonth, perDay)
		}
		return ""
	case it.Per == models.PerDay:
		days = 1
	case it.Per == models.PerWeek:
		days = 7
	default:
		days = 31
	}
	m, t := int64(it.Minutes), int64(it.Times)
	if m > days*perDay || t > days*perDay || m*t > days*perDay {
		return fmt.Sprintf("%d min × %d per %s, mer än %d minuter om dagen", it.Minutes, it.Times, it.Per.Swedish(), perDay)
	}
	return ""
}
