import { PlaceholderPage } from '../../components/PlaceholderPage';

export default function HomePage() {
  return <PlaceholderPage title={{ zh: '民政局工作台', en: 'Bureau' }} />;
}
